package catalogtest

import (
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func testUsers(t *testing.T, e *env) {
	alice, aliceTok, err := e.s.CreateUser(e.ctx, "alice", music.RoleListener, "de")
	if err != nil {
		t.Fatal(err)
	}
	if alice.ID == "" || alice.Country != "DE" || !alice.CreatedAt.Equal(epoch) || alice.Role != music.RoleListener || alice.Plan != music.PlanPremium {
		t.Errorf("CreateUser = %+v", alice)
	}
	if !strings.HasPrefix(aliceTok, music.TokenPrefix) || len(aliceTok) < 40 {
		t.Errorf("token %q: want %s and at least 256 bits", aliceTok, music.TokenPrefix)
	}
	ops, opsTok, err := e.s.CreateUser(e.ctx, "ops-1", music.RoleOps, "US")
	if err != nil {
		t.Fatal(err)
	}
	if opsTok == aliceTok || ops.ID == alice.ID {
		t.Error("two users got the same token or ID")
	}
	free, freeTok, err := e.s.CreateUserOnPlan(e.ctx, "frida", music.RoleListener, "SE", music.PlanFree)
	if err != nil || free.Plan != music.PlanFree {
		t.Fatalf("CreateUserOnPlan free = %+v, %v", free, err)
	}
	_, _, err = e.s.CreateUserOnPlan(e.ctx, "gold", music.RoleListener, "SE", "gold")
	wantCode(t, "CreateUserOnPlan gold", err, music.EINVALID)
	for tok, want := range map[string]*music.User{aliceTok: alice, opsTok: ops, freeTok: free} {
		got, err := e.s.UserByToken(e.ctx, tok)
		if err != nil || *got != *want {
			t.Errorf("UserByToken = %+v, %v; want %+v", got, err, want)
		}
	}
	for _, bad := range []string{"", "mt_", aliceTok + "x", aliceTok[:len(aliceTok)-1], strings.ToUpper(aliceTok),
		music.TokenHash(aliceTok)} {
		_, err := e.s.UserByToken(e.ctx, bad)
		wantCode(t, "UserByToken("+bad+")", err, music.EUNAUTHORIZED)
	}
	list, err := e.s.ListUsers(e.ctx)
	if err != nil || len(list) != 3 || list[0] != *alice || list[1] != *free || list[2] != *ops {
		t.Errorf("ListUsers = %+v, %v", list, err)
	}

	tests := []struct{ name, role, country, code string }{
		{"alice", music.RoleLabel, "DE", music.ECONFLICT},
		{"bob", "admin", "DE", music.EINVALID},
		{"bob", music.RoleLabel, "Germany", music.EINVALID},
		{"bob", music.RoleLabel, "", music.EINVALID},
		{"", music.RoleLabel, "DE", music.EINVALID},
		{"bad\nname", music.RoleLabel, "DE", music.EINVALID},
	}
	for _, tc := range tests {
		_, _, err := e.s.CreateUser(e.ctx, tc.name, tc.role, tc.country)
		wantCode(t, "CreateUser "+tc.name+"/"+tc.role+"/"+tc.country, err, tc.code)
	}
	if n, err := e.s.Count(e.ctx, "users"); err != nil || n != 3 {
		t.Errorf("users: %d rows, %v; want 3", n, err)
	}
	if n, err := e.s.Count(e.ctx, "user_tokens"); err != nil || n != 3 {
		t.Errorf("user_tokens: %d rows, %v; want 3", n, err)
	}
}
