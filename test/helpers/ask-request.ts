/** The RequestInit of a POST /ask with a JSON body; `stream` asks for Server-Sent Events. */
export const askRequest = (body: unknown, stream = false): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(stream ? { Accept: 'text/event-stream' } : {}) },
  body: JSON.stringify(body),
});
