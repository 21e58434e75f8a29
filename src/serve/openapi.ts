// /openapi/v2 and /openapi/v3: not served yet; the mux's 404 makes kubectl fall back to its built-in
// types (apply's strategic merge) and to server-side field validation.
import { pageNotFound, type ApiRequest, type ApiResponse } from './http-types.js';

export function openapi(_path: string, _req: ApiRequest): ApiResponse {
  return pageNotFound();
}
