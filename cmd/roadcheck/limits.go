package main

import (
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/roadcheck/roadcheck/transport"
)

// limitFlags declares serve's network limit flags, defaulting to transport.DefaultLimits.
func limitFlags(f *flagSet, l *transport.Limits) {
	*l = transport.DefaultLimits()
	l.BodyReadTimeout = transport.DefaultBodyReadTimeout
	l.SlotWait = transport.DefaultSlotWait
	rateFlag := func(name string, dst *transport.Rate, what string) {
		f.Func(name, fmt.Sprintf("per client address, %s: R/B (R requests a second, bursts of B), R, or off (default %s)", what, dst),
			func(s string) (err error) {
				*dst, err = transport.ParseRate(s)
				return err
			})
	}
	rateFlag("rate-photo", &l.Photo, "photo verifications (multipart POST /v1/verify)")
	rateFlag("rate-payload", &l.Payload, "payload verifications (JSON POST /v1/verify)")
	rateFlag("rate-web", &l.Web, "the inspector's page, its assets, GET /v1/trust-list and GET /v1/revocations")
	f.Func("trusted-proxies", "reverse proxies in front: a hop count N (the client is the Nth X-Forwarded-For entry from the right) or a comma-separated CIDR list; default none: X-Forwarded-For is ignored",
		func(s string) (err error) {
			l.Proxies, err = transport.ParseTrustedProxies(s)
			return err
		})
	f.IntVar(&l.PhotoSlots, "photo-slots", l.PhotoSlots, "photo verifications decoded at once; 0: half the CPUs, at least 1")
	f.Float64Var(&l.PhotoShare, "photo-share", l.PhotoShare, "share of the CPUs anonymous photo decoding may use over time, whatever the number of addresses; 0: no budget")
	f.DurationVar(&l.BodyReadTimeout, "body-timeout", l.BodyReadTimeout, "time allowed to read the body of an upload or a verification")
	f.DurationVar(&l.SlotWait, "slot-wait", l.SlotWait, "longest wait of a read upload or photo for a processing slot before 503 BUSY")
	f.withEnv("rate-photo", "rate-payload", "rate-web", "trusted-proxies", "photo-slots", "photo-share", "body-timeout", "slot-wait")
}

func checkLimits(l transport.Limits) error {
	switch {
	case l.PhotoSlots < 0:
		return usageErr("--photo-slots must be 0 or more, not %d", l.PhotoSlots)
	case l.PhotoShare < 0 || l.PhotoShare > 1:
		return usageErr("--photo-share must be a share from 0 to 1, not %v", l.PhotoShare)
	case l.BodyReadTimeout <= 0 || l.SlotWait <= 0:
		return usageErr("--body-timeout and --slot-wait must be positive durations")
	}
	return nil
}

// logLimits says which network limits serve runs with.
func logLimits(log *slog.Logger, l transport.Limits) {
	log.Info("network limits", slog.String("rate_photo", l.Photo.String()), slog.String("rate_payload", l.Payload.String()),
		slog.String("rate_web", l.Web.String()), slog.Duration("body_timeout", l.BodyReadTimeout), slog.Duration("slot_wait", l.SlotWait))
}

// memoryLimit is serve's soft memory limit: the --memory-limit flag, else GOMEMLIMIT (already
// applied by the runtime: 0 returned, nothing to set), else min(1 GiB, 3/4 of the cgroup's
// memory.max or of the machine's memory).
func memoryLimit(flagValue, env string, readFile func(string) ([]byte, error)) (int64, string, error) {
	if flagValue != "" {
		n, err := parseBytes(flagValue)
		if err != nil {
			return 0, "", fmt.Errorf("--memory-limit: %w", err)
		}
		return n, "--memory-limit", nil
	}
	if env != "" {
		return 0, "GOMEMLIMIT", nil
	}
	limit := int64(defaultMemoryLimit)
	if avail := availableMemory(readFile); avail > 0 && avail/4*3 < limit {
		limit = avail / 4 * 3
	}
	return limit, "default", nil
}

const defaultMemoryLimit = 1 << 30

func availableMemory(readFile func(string) ([]byte, error)) int64 {
	var avail int64
	if b, err := readFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			avail = n // "max" (no limit) does not parse
		}
	}
	if b, err := readFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && (avail == 0 || kb*1024 < avail) {
					avail = kb * 1024
				}
			}
		}
	}
	return avail
}

// parseBytes reads a size as GOMEMLIMIT spells it (1073741824, 1024MiB, 1GiB; B, KiB, MiB,
// GiB, TiB), or off (no limit).
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	orig := s
	if s == "off" {
		return math.MaxInt64, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = n, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is not a size (bytes, or with KiB, MiB, GiB, TiB) nor off", orig)
	}
	return n * mult, nil
}
