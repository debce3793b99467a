/** An export failure naming the field (feature, layer, signature key), the rule and the value. */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError'
  readonly field: string

  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.field = field
  }
}

/** Bytes that are not an ONNX model Highway can read, naming what is wrong. */
export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError'
}
