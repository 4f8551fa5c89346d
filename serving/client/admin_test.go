package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	music "github.com/openmusic/music"
)

func TestAdminReindex(t *testing.T) {
	var gotAuth, gotMethod string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotMethod = r.Header.Get("Authorization"), r.Method
		switch {
		case r.URL.Path != ReindexPath:
			http.NotFound(w, r)
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusConflict)
			w.Write([]byte(`{"error":{"code":"conflict","message":"a reindex is running"}}`))
		default:
			w.Write([]byte(`{"running":true,"docs":42}`))
		}
	}))
	defer hs.Close()
	ctx := context.Background()
	a := &Admin{Base: hs.URL + "/", Token: "mt_ops"}

	_, err := a.StartReindex(ctx)
	if music.ErrorCode(err) != music.ECONFLICT || gotMethod != http.MethodPost || gotAuth != "Bearer mt_ops" {
		t.Errorf("StartReindex: %v (code %s), %s with %q", err, music.ErrorCode(err), gotMethod, gotAuth)
	}
	st, err := a.ReindexStatus(ctx)
	if err != nil || !st.Running || st.Docs != 42 || gotMethod != http.MethodGet {
		t.Errorf("ReindexStatus: %+v, %v, %s", st, err, gotMethod)
	}

	for _, tc := range []struct {
		base string
		code string
	}{
		{"http://127.0.0.1:1", music.EUNAVAILABLE},  // nothing listens
		{hs.URL + "/elsewhere", music.EUNAVAILABLE}, // 404 without the API's error body
		{"::not a url", music.EINVALID},
	} {
		if _, err := (&Admin{Base: tc.base, Token: "t"}).ReindexStatus(ctx); music.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want code %s", tc.base, err, tc.code)
		}
	}
}
