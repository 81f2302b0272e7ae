package app

import (
	"kaigi/media"
)

// devices is what the lobby offers to choose from.
type devices struct {
	cams, mics, speakers []media.Device
}

func listDevices() devices {
	var d devices
	d.cams, _ = media.ListCameras()
	d.mics, _ = media.ListMicrophones()
	d.speakers, _ = media.ListSpeakers()
	return d
}

// openLocal starts what we send: the synthetic pattern and tone in fake
// mode, else the chosen camera and microphone (through proc, if not nil),
// each left out when it is missing (and reported so).
func openLocal(fake bool, camID, micID string, camOn, micOn bool, proc *media.Processing) (l *media.Local, camErr, micErr error) {
	if fake {
		l, err := media.NewFakeLocal(640, 480, 30, 440)
		return l, nil, err
	}
	cfg := media.LocalConfig{Processing: proc}
	if camOn {
		cam, err := media.OpenCamera(camID, 640, 480, 30)
		if err != nil {
			camErr = err
		} else {
			cfg.Video = cam
		}
	}
	if micOn {
		mic, err := media.OpenMicrophone(micID)
		if err != nil {
			micErr = err
		} else {
			cfg.Audio = mic
		}
	}
	if cfg.Video == nil && cfg.Audio == nil {
		return nil, camErr, micErr
	}
	l, err := media.NewLocal(cfg)
	if err != nil {
		return nil, err, micErr
	}
	return l, camErr, micErr
}
