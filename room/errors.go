package room

import (
	"errors"
	"fmt"
)

// Reasons a join or a session fails. The UI maps each to a localized
// sentence; test with errors.Is.
var (
	ErrUnauthorized   = errors.New("not authorized")             // expired, forged or wrong token or password
	ErrPasswordNeeded = errors.New("password needed")            // the room asks for a password we did not give
	ErrUnreachable    = errors.New("server unreachable")         // nothing listens, DNS fails, network down
	ErrNotARoom       = errors.New("not a meeting server")       // something answers, but not a room of that kind
	ErrCertificate    = errors.New("certificate does not match") // TLS pin or verification failure
	ErrNoRoom         = errors.New("no such meeting")            // the group or room does not exist
	ErrRoomFull       = errors.New("meeting is full")
	ErrLocked         = errors.New("meeting is locked") // the host locked it: nobody new may join
	ErrDisconnected   = errors.New("connection lost")   // dropped mid-call and could not reconnect
	ErrEnded          = errors.New("meeting ended")     // the host ended the meeting
	ErrKicked         = errors.New("removed from the meeting")
	ErrProtocol       = errors.New("server spoke an unknown protocol") // malformed or hostile messages
	ErrMedia          = errors.New("media could not be set up")        // ICE/DTLS failure
	ErrTimeout        = errors.New("timed out")
	ErrUnsupported    = errors.New("this kind of meeting cannot be joined") // no dialect for the link's kind
	ErrUndecryptable  = errors.New("cannot decrypt media")                  // end-to-end encrypted with another passphrase, or we have none
)

// Error is a session failure: a Reason from the list above, with the
// underlying cause. Detail is text from the server, if any.
type Error struct {
	Reason error
	Detail string
	Err    error
}

func (e *Error) Error() string {
	s := e.Reason.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Is(target error) bool { return target == e.Reason }
func (e *Error) Unwrap() error        { return e.Err }

// Fail builds an *Error.
func Fail(reason error, err error, format string, args ...any) *Error {
	return &Error{Reason: reason, Err: err, Detail: fmt.Sprintf(format, args...)}
}
