import {namesHandler} from './names.js'

export default namesHandler('users')
