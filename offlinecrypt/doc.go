// Package offlinecrypt is the cryptography of offline downloads: audio
// sealed with AES-256-GCM in fixed-size chunks, content keys wrapped to a
// device's X25519 key, and Ed25519-signed licences.
//
// It stops a downloaded file from being played outside a client that holds
// the device's private key and a current licence, and it detects any
// tampering. It does not stop a client that holds both from writing the
// decoded audio out: that is what every non-hardware DRM concedes.
package offlinecrypt
