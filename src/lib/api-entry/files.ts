// authctl/files: age encryption at rest and the atomic writer every credential file goes through.
export {AuthctlError} from '../output/errors.js'
export {ageFormat, type AgeFormat, type AgeOptions, decryptAge} from '../files/age.js'
export {decryptedContent, decryptFile, encryptFile} from '../files/age-file.js'
export {readInput, readInputText, type ReadOptions} from '../files/read.js'
export {writeFileAtomic, writeFilesAtomic, type WriteAgeOptions, type WriteOptions} from '../files/write.js'
