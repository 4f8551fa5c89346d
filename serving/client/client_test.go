package client_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jfreymuth/oggvorbis"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/serving/client"
)

// audioServer serves a file store's renditions with signed URLs, behind a
// loopback proxy whose bandwidth the test sets (0: unthrottled).
type audioServer struct {
	blobs    *filestore.Store
	signer   *serving.StreamSigner
	proxy    *httptest.Server
	origin   string       // the audio server itself, without the proxy
	bps      atomic.Int64 // proxy throttle in bits per second
	requests atomic.Int64 // range GETs through the proxy
}

func newAudioServer(t testing.TB) *audioServer {
	t.Helper()
	fs, err := filestore.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sg, err := serving.NewStreamSigner(bytes.Repeat([]byte("k"), 32), time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	s := serving.New()
	s.Signer = sg
	s.HandleAudio(fs, serving.AudioOptions{})
	origin := httptest.NewServer(s.Handler())
	t.Cleanup(origin.Close)
	a := &audioServer{blobs: fs, signer: sg, origin: origin.URL}
	target, _ := url.Parse(origin.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(res *http.Response) error {
		if bps := a.bps.Load(); bps > 0 {
			res.Body = &throttled{r: res.Body, bytesPerSec: float64(bps) / 8}
		}
		return nil
	}
	a.proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			a.requests.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(a.proxy.Close)
	return a
}

// throttled paces a body to a byte rate, in 1 kB steps.
type throttled struct {
	r           io.ReadCloser
	bytesPerSec float64
	start       time.Time
	sent        int64
}

func (t *throttled) Read(p []byte) (int, error) {
	if t.start.IsZero() {
		t.start = time.Now()
	}
	n, err := t.r.Read(p[:min(len(p), 1024)])
	t.sent += int64(n)
	if due := t.start.Add(time.Duration(float64(t.sent) / t.bytesPerSec * float64(time.Second))); time.Until(due) > 0 {
		time.Sleep(time.Until(due))
	}
	return n, err
}

func (t *throttled) Close() error { return t.r.Close() }

// track stores renditions (rung → bytes) for id and returns its URLs.
func (a *audioServer) track(t testing.TB, id string, files map[string][]byte) client.Track {
	t.Helper()
	tr := client.Track{ID: id, StreamURLs: map[string]string{}}
	for rung, b := range files {
		if _, err := a.blobs.Put(context.Background(), "audio/"+id+"/"+rung+".ogg", bytes.NewReader(b), music.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		tr.StreamURLs[rung] = a.proxy.URL + a.signer.Sign(serving.AudioPath(id, rung+".ogg"))
	}
	return tr
}

func TestRungFor(t *testing.T) {
	for _, tc := range []struct {
		bps  float64
		want string
	}{{1e9, "320"}, {500_001, "320"}, {500_000, "160"}, {200_000, "160"}, {199_999, "96"}, {100_000, "96"}, {99_999, "24"}, {0, "24"}} {
		if got := client.RungFor(tc.bps); got != tc.want {
			t.Errorf("RungFor(%g) = %s, want %s", tc.bps, got, tc.want)
		}
	}
}

// TestSwitchDownAndBack plays a track through the throttling proxy:
// unthrottled it streams 320; at 150 kbps it drops to 96 at the next chunk
// boundary; unthrottled again it goes back to 320, and each switch
// continues at the same point of the track.
func TestSwitchDownAndBack(t *testing.T) {
	a := newAudioServer(t)
	const seconds = 60
	files := map[string][]byte{}
	for _, rung := range []string{"24", "96", "160", "320"} {
		kbps, _ := strconv.Atoi(rung)
		b := make([]byte, kbps*1000/8*seconds)
		rand.NewChaCha8([32]byte{byte(kbps)}).Read(b)
		files[rung] = b
	}
	tr := a.track(t, "abr", files)
	c := client.New(testHTTP)
	c.ChunkSize = 16 << 10 // about a second at the throttled rate
	ch := c.Chunks(tr)
	ctx := context.Background()

	var rungs []string
	next := func() client.Chunk {
		t.Helper()
		k, err := ch.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(k.Data, files[k.Rung][k.Offset:k.Offset+int64(len(k.Data))]) {
			t.Fatalf("chunk at %d of %s differs from the rendition", k.Offset, k.Rung)
		}
		rungs = append(rungs, k.Rung)
		t.Logf("chunk %2d: rung %-3s offset %7d/%7d, estimate %.0f kbps", len(rungs), k.Rung, k.Offset, k.Size, k.BPS/1000)
		return k
	}
	for i := 0; i < 3; i++ {
		next()
	}
	a.bps.Store(150_000)
	var down client.Chunk
	for i := 0; i < 4 && down.Rung != "96"; i++ {
		prev := next()
		if down = next(); down.Rung == "96" {
			// Same point of the track: the fraction where the 320 chunk ended.
			want := float64(prev.Offset+int64(len(prev.Data))) / float64(prev.Size)
			if got := float64(down.Offset) / float64(down.Size); math.Abs(got-want) > 1e-4 {
				t.Errorf("switch down resumed at %.5f of the track, want %.5f", got, want)
			}
		}
	}
	if down.Rung != "96" {
		t.Fatalf("never dropped to 96 under 150 kbps: %v", rungs)
	}
	a.bps.Store(0)
	var up client.Chunk
	for i := 0; i < 4 && up.Rung != "320"; i++ {
		up = next()
	}
	if up.Rung != "320" {
		t.Fatalf("never went back to 320 unthrottled: %v", rungs)
	}
	t.Logf("rungs: %v", rungs)
}

// tone is the test tone: 441 Hz at half scale, continuous across tracks.
func tone(i int) float64 { return 0.5 * math.Sin(2*math.Pi*441*float64(i)/44100) }

// writeWAV writes n frames of signal as 16-bit stereo 44.1 kHz PCM.
func writeWAV(t testing.TB, path string, n int, signal func(int) float64) {
	t.Helper()
	const rate = 44100
	var buf bytes.Buffer
	le := binary.LittleEndian
	buf.WriteString("RIFF")
	binary.Write(&buf, le, uint32(36+n*4))
	buf.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(2), uint32(rate), uint32(rate * 4), uint16(4), uint16(16)} {
		binary.Write(&buf, le, v)
	}
	buf.WriteString("data")
	binary.Write(&buf, le, uint32(n*4))
	for i := range n {
		v := int16(math.Round(32767 * signal(i)))
		binary.Write(&buf, le, []int16{v, v})
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// encodeTrack encodes frames [from, from+n) of the tone with the real
// ladder and returns its renditions by rung.
func encodeTrack(t testing.TB, from, n int) map[string][]byte {
	return encodeSignal(t, n, func(i int) float64 { return tone(from + i) })
}

// encodeSignal encodes n frames of signal with the real ladder and
// returns its renditions by rung.
func encodeSignal(t testing.TB, n int, signal func(int) float64) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	wav := filepath.Join(dir, "master.wav")
	writeWAV(t, wav, n, signal)
	res, err := encode.EncodeTrack(context.Background(), wav, filepath.Join(dir, "out"), encode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, r := range res.Renditions {
		if r.Codec != "vorbis" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "out", r.Path))
		if err != nil {
			t.Fatal(err)
		}
		out[strconv.Itoa(r.Bitrate/1000)] = b
	}
	return out
}

// decodeAll plays a track to the end and returns its left channel.
func decodeAll(t testing.TB, c *client.Client, tr client.Track) []float32 {
	t.Helper()
	rc, _, err := c.Play(context.Background(), tr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	d, err := oggvorbis.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	var left []float32
	buf := make([]float32, 4096*d.Channels())
	for {
		n, err := d.Read(buf)
		for i := 0; i < n; i += d.Channels() {
			left = append(left, buf[i])
		}
		if err == io.EOF {
			return left
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestGapless decodes two tracks cut from one continuous tone, the second
// started from its prefetched first 5 s, and checks that their
// concatenation has exactly the original length and no gap or click at
// the join.
func TestGapless(t *testing.T) {
	a := newAudioServer(t)
	const n1, n2 = 44100*6 + 123, 44100*6 + 77
	t1 := a.track(t, "first", encodeTrack(t, 0, n1))
	t2 := a.track(t, "second", encodeTrack(t, n1, n2))
	c := client.New(testHTTP)
	c.StartRung = "160"
	c.ChunkSize = 64 << 10

	pcm := decodeAll(t, c, t1)
	if err := c.Prefetch(context.Background(), t2); err != nil {
		t.Fatal(err)
	}
	before := a.requests.Load()
	rc, _, _ := c.Play(context.Background(), t2)
	d, err := oggvorbis.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]float32, 2*44100) // the first second
	if _, err := io.ReadFull(readerOf(d), f32bytes(first)); err != nil {
		t.Fatal(err)
	}
	if got := a.requests.Load() - before; got != 0 {
		t.Errorf("the first second of the prefetched track took %d requests, want 0", got)
	}
	rc.Close()
	if len(pcm) != n1 {
		t.Errorf("first track decoded to %d frames, want %d", len(pcm), n1)
	}
	second := decodeAll(t, c, t2)
	if len(second) != n2 {
		t.Errorf("second track decoded to %d frames, want %d", len(second), n2)
	}
	all := append(pcm, second...)
	// Around the join, the decoded audio follows the tone closely: no
	// silence, no repeated or dropped samples.
	worst := 0.0
	for i := n1 - 2000; i < n1+2000 && i < len(all); i++ {
		worst = math.Max(worst, math.Abs(float64(all[i])-tone(i)))
	}
	if worst > 0.05 {
		t.Errorf("largest deviation from the tone within 2000 frames of the join: %.3f", worst)
	}
	t.Logf("joined %d + %d frames; largest deviation near the join %.4f", len(pcm), len(second), worst)
}

// readerOf adapts a decoder to io.Reader over float32 bytes, for ReadFull.
type decReader struct{ d *oggvorbis.Reader }

func readerOf(d *oggvorbis.Reader) io.Reader { return decReader{d} }

func (r decReader) Read(p []byte) (int, error) {
	f := make([]float32, len(p)/4)
	n, err := r.d.Read(f)
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint32(p[i*4:], math.Float32bits(f[i]))
	}
	return n * 4, err
}

func f32bytes(f []float32) []byte { return make([]byte, len(f)*4) }
