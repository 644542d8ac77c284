// Raw, SigV4-signed DynamoDB JSON 1.0 requests (bypassing the SDK), for the
// protocol tests: unknown targets, broken bodies, bad signatures, headers.
import crypto from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, rawRequest } from './endpoint.js'

/** SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects. */
class Sha256 {
  constructor (secret) {
    this.hash = secret ? crypto.createHmac('sha256', toBuffer(secret)) : crypto.createHash('sha256')
  }

  update (data) { this.hash.update(toBuffer(data)) }
  async digest () { return new Uint8Array(this.hash.digest()) }
}

function toBuffer (data) {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.from(data)
}

/**
 * Sends one signed POST. Options:
 *   target       X-Amz-Target value (e.g. 'DynamoDB_20120810.ListTables'), or null to omit
 *   body         request body string
 *   credentials  { accessKeyId, secretAccessKey } (default: the suite's)
 *   signingDate  Date to sign with (default now)
 *   sign         false to send without any signature
 *   mutate       function(headers) applied after signing (to tamper)
 *   sendBody     body actually sent (default: the signed body)
 *   applyChecksum  sign an x-amz-content-sha256 header, as the SDK does (default true)
 *   contentType  default 'application/x-amz-json-1.0'
 */
export async function signedRequest (endpoint, {
  target = 'DynamoDB_20120810.ListTables',
  body = '{}',
  credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  signingDate,
  sign = true,
  mutate,
  sendBody = body,
  applyChecksum = true,
  contentType = 'application/x-amz-json-1.0',
} = {}) {
  const url = new URL(endpoint)
  const headers = { host: url.host, 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) }
  if (target) headers['x-amz-target'] = target
  let out = { headers }
  if (sign) {
    const signer = new SignatureV4({ credentials, region: REGION, service: 'dynamodb', sha256: Sha256, applyChecksum })
    out = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: '/',
      query: {},
      headers,
      body,
    }, signingDate ? { signingDate } : {})
  }
  const finalHeaders = { ...out.headers }
  if (mutate) mutate(finalHeaders)
  if (sendBody !== body) finalHeaders['content-length'] = String(Buffer.byteLength(sendBody))
  return rawRequest(endpoint, { method: 'POST', path: '/', headers: finalHeaders, body: sendBody })
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 (IEEE, as in zlib and DynamoDB's x-amz-crc32) of a Buffer, unsigned. */
export function crc32 (buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
