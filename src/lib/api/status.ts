// metav1.Status (k8s.io/apimachinery pkg/apis/meta/v1), the body of every API error: written by the reference server,
// read by the API client. Fields follow Go's omitempty; every error body carries a message and a code (the client
// fills the code in from the HTTP status, and builds client-go's generic Status when the body is not one).

export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  causes?: StatusCause[]
}

export interface Status {
  kind?: string
  apiVersion?: string
  metadata?: Record<string, never>
  /** "Failure" in every error body. */
  status?: string
  message: string
  reason?: string
  details?: StatusDetails
  code: number
}
