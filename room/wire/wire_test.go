package wire

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDecode(t *testing.T) {
	var m Message
	in := `{"type":"joined","kind":"join","group":"g","username":"ann","permissions":["present"],
		"status":{"name":"g"},"rtcConfiguration":{"iceServers":[]},"somethingNew":42}`
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	if m.Type != "joined" || m.Kind != "join" || m.Username == nil || *m.Username != "ann" ||
		len(m.Permissions) != 1 || string(m.Status) != `{"name":"g"}` {
		t.Errorf("decoded %+v", m)
	}
	// An empty username is sent (the pointer says it is set); an unset one
	// and every other empty field are left out.
	empty := ""
	out, _ := json.Marshal(Message{Type: "join", Username: &empty})
	if string(out) != `{"type":"join","username":""}` {
		t.Errorf("encoded %s", out)
	}
	out, _ = json.Marshal(Message{Type: "ping"})
	if string(out) != `{"type":"ping"}` {
		t.Errorf("encoded %s", out)
	}
}

// FuzzMessage: whatever arrives on the WebSocket decodes or fails, never
// panics, and what decodes encodes and decodes again to the same message.
func FuzzMessage(f *testing.F) {
	for _, s := range []string{`{"type":"ping"}`, `{"type":"offer","id":"s","sdp":"v=0","username":null}`,
		`{"type":"request","request":{"":["audio","video"]}}`, `{"type":"user","data":{"kaigi.audioMuted":true}}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Message
		if json.Unmarshal(data, &m) != nil {
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("%q decoded but does not encode: %v", data, err)
		}
		var again Message
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("%s does not decode: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if !reflect.DeepEqual(out, out2) {
			t.Fatalf("round trip changed %s into %s", out, out2)
		}
	})
}
