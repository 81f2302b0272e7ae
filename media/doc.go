// Package media turns devices and synthetic sources into WebRTC tracks, and
// remote tracks back into pictures and sound. It knows nothing of Fyne or
// of any room protocol: rooms use it through room.LocalMedia and
// room.TrackReceiver (Local and Remote implement them), and the app gets
// pictures through VideoSink. The WebRTC API the tracks travel through is
// built by kaigi/rtc.
package media
