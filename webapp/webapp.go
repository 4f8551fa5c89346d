// Package webapp is the web player: static HTML, CSS and JavaScript
// modules with no build step, embedded in the binary. It talks to the
// public API only (docs/webplayer.md); serving.HandleWebApp serves it.
package webapp

import (
	"embed"
	"io/fs"
)

//go:embed index.html app
var files embed.FS

// Files is the player: index.html at the root and its assets under app/.
func Files() fs.FS { return files }
