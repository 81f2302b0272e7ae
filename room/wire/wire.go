// Package wire is the Galène protocol's wire format, version 2
// (docs/galene-protocol.md): the JSON messages that travel over the
// WebSocket and the group status served before it. The client dialect
// (room/galene) and the server (room/host) share it; it depends on
// nothing else of Kaigi.
package wire

import "encoding/json"

// Message is one protocol message: a JSON object with a type; every other
// field is optional. Unknown fields are ignored on decode.
type Message struct {
	Type             string          `json:"type"`
	Version          []string        `json:"version,omitempty"`
	Kind             string          `json:"kind,omitempty"`
	Error            string          `json:"error,omitempty"`
	ID               string          `json:"id,omitempty"`
	Replace          string          `json:"replace,omitempty"`
	Source           string          `json:"source,omitempty"`
	Dest             string          `json:"dest,omitempty"`
	Username         *string         `json:"username,omitempty"`
	Password         string          `json:"password,omitempty"`
	Token            string          `json:"token,omitempty"`
	Privileged       bool            `json:"privileged,omitempty"`
	Permissions      []string        `json:"permissions,omitempty"`
	Status           json.RawMessage `json:"status,omitempty"`
	Data             map[string]any  `json:"data,omitempty"`
	Group            string          `json:"group,omitempty"`
	Value            json.RawMessage `json:"value,omitempty"`
	NoEcho           bool            `json:"noecho,omitempty"`
	Time             string          `json:"time,omitempty"`
	SDP              string          `json:"sdp,omitempty"`
	Candidate        json.RawMessage `json:"candidate,omitempty"`
	Label            string          `json:"label,omitempty"`
	Request          json.RawMessage `json:"request,omitempty"`
	RTCConfiguration json.RawMessage `json:"rtcConfiguration,omitempty"`
}

// Status is the group description served at <group link>.status.
type Status struct {
	Name        string `json:"name"`
	Location    string `json:"location"`
	Endpoint    string `json:"endpoint"`
	DisplayName string `json:"displayName,omitempty"`
	Description string `json:"description,omitempty"`
	AuthServer  string `json:"authServer,omitempty"`
	AuthPortal  string `json:"authPortal,omitempty"`
	Locked      bool   `json:"locked,omitempty"`
	ClientCount *int   `json:"clientCount,omitempty"`
}
