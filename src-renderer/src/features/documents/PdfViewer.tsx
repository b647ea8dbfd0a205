import { useMemo, useState } from 'react'
import { Document, Page, pdfjs } from 'react-pdf'
import { Alert, Loader, Stack, Text } from '@mantine/core'

// The worker is bundled with the app (CSP: worker-src 'self' blob:), never fetched from a CDN.
pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString()

function toBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Every page of a PDF given as base64, rendered by pdf.js in the renderer. */
export function PdfViewer({ base64, width = 620 }: { base64: string; width?: number }) {
  // Memoized (suspense off): react-pdf transfers the buffer to its worker, one copy per document.
  const file = useMemo(() => ({ data: toBytes(base64) }), [base64])
  const [pages, setPages] = useState(0)
  return (
    <div className="pdf-viewer" data-testid="pdf-viewer" style={{ background: '#e9ecef', padding: 8, borderRadius: 4 }}>
      <Document
        file={file}
        suspense={false}
        loading={<Loader size="sm" />}
        error={
          <Alert color="red" title="Aperçu impossible">
            Le document n’a pas pu être affiché.
          </Alert>
        }
        onLoadSuccess={(pdf) => setPages(pdf.numPages)}
      >
        <Stack gap={8} align="center">
          {Array.from({ length: pages }, (_, i) => (
            <div key={i} style={{ boxShadow: '0 1px 4px rgba(0,0,0,.25)' }} data-testid="pdf-page">
              <Page
                pageNumber={i + 1}
                width={width}
                suspense={false}
                renderTextLayer={false}
                renderAnnotationLayer={false}
              />
            </div>
          ))}
        </Stack>
      </Document>
      {pages > 0 && (
        <Text size="xs" c="dimmed" ta="center" mt={4}>
          {pages} page{pages > 1 ? 's' : ''}
        </Text>
      )}
    </div>
  )
}

/** Opens a stored file in a new window (PDF) or downloads it (.eml, .txt). */
export function downloadFile(file: { dataBase64: string; mimeType: string; fileName: string }): void {
  const blob = new Blob([toBytes(file.dataBase64) as BlobPart], { type: file.mimeType })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file.fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
