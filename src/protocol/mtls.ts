// go-plugin's AutoMTLS: each side makes a throwaway self-signed certificate (ECDSA P-521, CN and DNS name
// `localhost`, usable as CA, server and client), hands the other side the certificate, and requires the
// other side's on every connection. The host passes its PEM in PLUGIN_CLIENT_CERT; the plugin answers with
// its DER, unpadded base64, in the handshake line's sixth field.
import {bitString, bool, explicit, implicit, integer, octets, oid, sequence, set, time, utf8} from './der.js'

export interface TlsIdentity {
  certPem: string
  keyPem: string
  certDer: Buffer
}

// node:crypto costs a process ~6 ms to load: a plugin without AutoMTLS never loads it.
const crypto = () => process.getBuiltinModule('node:crypto')

const ECDSA_WITH_SHA512 = '1.2.840.10045.4.3.4'
const HOST = 'localhost'

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), bool(true), octets(value)) : sequence(oid(id), octets(value))
}

/** A fresh self-signed certificate and key, as go-plugin's generateCert makes them. */
export function generateIdentity(): TlsIdentity {
  const {generateKeyPairSync, randomBytes, sign} = crypto()
  const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-521'})
  const name = sequence(set(sequence(oid('2.5.4.10'), utf8('plugin-survey'))), set(sequence(oid('2.5.4.3'), utf8(HOST))))
  const algorithm = sequence(oid(ECDSA_WITH_SHA512))
  const serial = randomBytes(16)
  serial[0] &= 0x7f
  const now = Date.now()
  const extensions = sequence(
    // digitalSignature, keyEncipherment, keyAgreement, keyCertSign: bits 0, 2, 4, 5 (two unused bits).
    extension('2.5.29.15', true, bitString(Buffer.from([0xac]), 2)),
    // extKeyUsage: clientAuth, serverAuth.
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.2'), oid('1.3.6.1.5.5.7.3.1'))),
    extension('2.5.29.19', true, sequence(bool(true))),
    extension('2.5.29.17', false, sequence(implicit(2, Buffer.from(HOST, 'ascii')))),
  )
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    name,
    sequence(time(new Date(now - 30_000)), time(new Date(now + 30 * 365 * 24 * 3600 * 1000))),
    name,
    publicKey.export({type: 'spki', format: 'der'}),
    explicit(3, extensions),
  )
  const certDer = sequence(tbs, algorithm, bitString(sign('sha512', tbs, privateKey)))
  return {certDer, certPem: derToPem(certDer), keyPem: privateKey.export({type: 'pkcs8', format: 'pem'}) as string}
}

export function derToPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/** The handshake's certificate field: the DER in unpadded standard base64. */
export function certField(identity: TlsIdentity): string {
  return identity.certDer.toString('base64').replace(/=+$/, '')
}

/** The handshake's certificate field as PEM; throws when it is not a certificate. */
export function parseCertField(field: string): string {
  const der = Buffer.from(field, 'base64')
  return derToPem(Buffer.from(new (crypto().X509Certificate)(der).raw))
}
