package client_test

import (
	"net/http"
	"time"
)

// testHTTP is the client of every test here: each chunk is its own
// request, so a minute bounds a stuck server, never a slow track.
var testHTTP = &http.Client{Timeout: time.Minute}
