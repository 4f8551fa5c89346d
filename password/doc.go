// Package password hashes account passwords with argon2id
// (golang.org/x/crypto/argon2) and stores them as PHC strings:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// salt and hash in unpadded standard base64. The parameters are OWASP's
// minimum for argon2id (19 MiB, two passes, one lane). At most
// MaxConcurrent hashes run at once per process, so a burst of sign-ins
// cannot take more than MaxConcurrent × 19 MiB of memory.
package password
