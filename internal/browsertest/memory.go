package browsertest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Memory is what a page holds after a forced garbage collection: what
// is left then is what the page still references, so a leak shows as
// growth from sample to sample.
type Memory struct {
	JSHeap       int64 // bytes of JavaScript objects (Runtime.getHeapUsage usedSize)
	BackingStore int64 // bytes of ArrayBuffer contents (fetched bytes; Chromium keeps decoded AudioBuffers outside V8)
	Nodes        int64 // DOM nodes, detached ones included
	Listeners    int64 // JavaScript event listeners
	RendererRSS  int64 // resident bytes of the browser's renderer processes, decoded audio included (0 where /proc is missing)
	AudioBuffers int64 // live AudioBuffer objects: decoded tracks
	AudioNodes   int64 // live AudioNode objects
}

// Memory collects garbage in the page and measures what remains.
func (p *Page) Memory() Memory {
	p.t.Helper()
	var m Memory
	p.Do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return err
		}
		heap, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
		if err != nil {
			return err
		}
		dom, err := chromedp.Call(ctx, memory.GetDOMCounters, cdp.Empty{})
		if err != nil {
			return err
		}
		m = Memory{JSHeap: int64(heap.UsedSize), BackingStore: int64(heap.BackingStorageSize), Nodes: dom.Nodes, Listeners: dom.JsEventListeners}
		if m.AudioBuffers, err = live(ctx, "AudioBuffer"); err != nil {
			return err
		}
		if m.AudioNodes, err = live(ctx, "AudioNode"); err != nil {
			return err
		}
		if b := chromedp.FromContext(ctx).Browser; b != nil && b.Process() != nil {
			m.RendererRSS = renderersRSS(b.Process().Pid)
		}
		return nil
	}))
	return m
}

// live counts the page's objects whose prototype chain holds
// constructor's prototype (Runtime.queryObjects).
func live(ctx context.Context, constructor string) (int64, error) {
	proto, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: constructor + ".prototype", ObjectGroup: "live"})
	if err != nil {
		return 0, err
	}
	defer chromedp.Call(ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "live"})
	objs, err := chromedp.Call(ctx, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID, ObjectGroup: "live"})
	if err != nil {
		return 0, err
	}
	byValue := true
	n, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{ObjectID: objs.Objects.ObjectID,
		FunctionDeclaration: "function() { return this.length; }", ReturnByValue: &byValue})
	if err != nil {
		return 0, err
	}
	var count int64
	err = json.Unmarshal(n.Result.Value, &count)
	return count, err
}

// renderersRSS sums the resident memory of the pages' renderer
// processes under the browser process browser (Chromium forks them through a
// zygote, so they are grandchildren or further down).
func renderersRSS(browser int) int64 {
	parent := map[int]int{}
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range procs {
		b, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(stat)))
		if len(fields) > 1 {
			parent[pid], _ = strconv.Atoi(fields[1])
		}
	}
	var total int64
	for pid := range parent {
		if !descends(parent, pid, browser) {
			continue
		}
		cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		// Pages' renderers, not the browser's own UI (--top-chrome-webui).
		if strings.Contains(string(cmd), "--type=renderer") && !strings.Contains(string(cmd), "--top-chrome-webui") {
			total += rss(pid)
		}
	}
	return total
}

func descends(parent map[int]int, pid, ancestor int) bool {
	for p := parent[pid]; p > 1; p = parent[p] {
		if p == ancestor {
			return true
		}
	}
	return false
}

// rss is a process's VmRSS in bytes.
func rss(pid int) int64 {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	for line := range strings.Lines(string(b)) {
		if kb, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), 10, 64)
			return n * 1024
		}
	}
	return 0
}
