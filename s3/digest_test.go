package s3

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

func blobtestDigest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func blobtestRaw(b []byte) string {
	s := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(s[:])
}
