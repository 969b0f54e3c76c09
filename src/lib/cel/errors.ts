// The two failures the CEL environment reports; both carry cel-go's wording so callers can wrap them as kube does.

/** A compile-time rejection; `detail` is the text kube-apiserver puts after `Invalid value: "<expr>": `. */
export class CelCompileError extends Error {
  constructor(readonly detail: string) {
    super(detail)
  }
}

/** An evaluation failure worded as cel-go's (`no such key: hd`); callers wrap it as kube does. */
export class CelEvaluationError extends Error {}
