/** A file as pages show it (listFiles, attachFile); the components take it too. */
export interface FileView {
  id: number
  /** The cleaned name the uploader gave it. */
  name: string
  /** Decided from the content. */
  mime: string
  /** Bytes. */
  size: number
  isImage: boolean
  /** GET /files/:id */
  url: string
  /** GET /files/:id/preview (WebP, at most 640 px), for images. */
  previewUrl: string | null
  width: number | null
  height: number | null
}
