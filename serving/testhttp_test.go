package serving

import (
	"net/http"
	"time"
)

// testHTTP is the client of every test that calls a server over a real
// socket: a server that stops answering fails the request, never hangs
// the test.
var testHTTP = &http.Client{Timeout: time.Minute}
