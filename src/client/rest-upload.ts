/**
 * Multipart uploads with progress. Browsers report upload progress only through
 * `XMLHttpRequest.upload.onprogress`; in Node (Electron main) the body is streamed to `fetch` in
 * chunks and progress counts the bytes handed over. Both return a plain response the RestClient
 * handles like any other.
 */

/** A response as the RestClient needs it. */
export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface UploadRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: FormData;
  onProgress: (loaded: number, total: number) => void;
}

/** Sends one multipart request and reports progress. */
export type UploadTransport = (request: UploadRequest) => Promise<TransportResponse>;

/** Size of the chunks streamed by {@link fetchUploadTransport}. */
const CHUNK_BYTES = 64 * 1024;

/** The transport for runtimes with `fetch` and streaming request bodies (Node 20+, Electron main). */
export function fetchUploadTransport(fetchImpl: typeof fetch = fetch): UploadTransport {
  return async (request) => {
    // Serializing the form once gives the exact multipart bytes and boundary, so the total is known.
    const encoded = new Response(request.body);
    const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    let offset = 0;
    request.onProgress(0, bytes.length);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        const end = Math.min(bytes.length, offset + CHUNK_BYTES);
        controller.enqueue(bytes.subarray(offset, end));
        offset = end;
        request.onProgress(offset, bytes.length);
      },
    });
    const init: RequestInit & { duplex: 'half' } = {
      method: request.method,
      headers: { ...request.headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) },
      body: stream,
      duplex: 'half',
    };
    return fetchImpl(request.url, init);
  };
}

/** The browser transport: XMLHttpRequest, whose upload events give real progress. */
export function xhrUploadTransport(): UploadTransport {
  return (request) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => request.onProgress(event.loaded, event.lengthComputable ? event.total : event.loaded);
      xhr.onerror = () => reject(new TypeError('Network error during upload'));
      xhr.onabort = () => reject(new TypeError('Upload aborted'));
      xhr.onload = () => {
        const body = xhr.responseText;
        resolve({
          status: xhr.status,
          headers: { get: (name: string) => xhr.getResponseHeader(name) },
          text: () => Promise.resolve(body),
        });
      };
      xhr.send(request.body);
    });
}

/** XMLHttpRequest where it exists (browsers), streaming fetch elsewhere. */
export function defaultUploadTransport(fetchImpl: typeof fetch = fetch): UploadTransport {
  return typeof XMLHttpRequest === 'function' ? xhrUploadTransport() : fetchUploadTransport(fetchImpl);
}
