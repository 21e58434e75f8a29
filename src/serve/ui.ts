// /ui: the live page (not served yet).
import { pageNotFound, type ApiResponse } from './http-types.js';

export function uiPage(_path: string): ApiResponse {
  return pageNotFound();
}
