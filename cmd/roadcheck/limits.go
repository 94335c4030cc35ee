package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/transport"
)

// limitFlags declares serve's network limit flags, each with its ROADCHECK_ environment
// fallback, defaulting to transport.DefaultLimits.
func limitFlags(fs *flag.FlagSet, getenv func(string) string, l *transport.Limits) error {
	*l = transport.DefaultLimits()
	l.BodyReadTimeout = transport.DefaultBodyReadTimeout
	l.SlotWait = transport.DefaultSlotWait
	var err error
	rateFlag := func(name, env string, dst *transport.Rate, what string) {
		if v := getenv(env); v != "" && err == nil {
			if *dst, err = transport.ParseRate(v); err != nil {
				err = exitErr(2, fmt.Errorf("%s: %w", env, err))
			}
		}
		fs.Func(name, fmt.Sprintf("per client address, %s: R/B (R requests a second, bursts of B), R, or off (default %s; env %s)", what, dst, env),
			func(s string) error {
				r, perr := transport.ParseRate(s)
				*dst = r
				return perr
			})
	}
	rateFlag("rate-photo", "ROADCHECK_RATE_PHOTO", &l.Photo, "photo verifications (multipart POST /v1/verify)")
	rateFlag("rate-payload", "ROADCHECK_RATE_PAYLOAD", &l.Payload, "payload verifications (JSON POST /v1/verify)")
	rateFlag("rate-web", "ROADCHECK_RATE_WEB", &l.Web, "the inspector's page, its assets, GET /v1/trust-list and GET /v1/revocations")

	if v := getenv("ROADCHECK_TRUSTED_PROXIES"); v != "" && err == nil {
		if l.Proxies, err = transport.ParseTrustedProxies(v); err != nil {
			err = exitErr(2, fmt.Errorf("ROADCHECK_TRUSTED_PROXIES: %w", err))
		}
	}
	fs.Func("trusted-proxies", "reverse proxies in front: a hop count N (the client is the Nth X-Forwarded-For entry from the right) or a comma-separated CIDR list; default none: X-Forwarded-For is ignored (env ROADCHECK_TRUSTED_PROXIES)",
		func(s string) error {
			p, perr := transport.ParseTrustedProxies(s)
			l.Proxies = p
			return perr
		})
	durFlag := func(name, env string, dst *time.Duration, usage string) {
		if v := getenv(env); v != "" && err == nil {
			d, derr := time.ParseDuration(v)
			if derr != nil || d <= 0 {
				err = exitErr(2, fmt.Errorf("%s: %q is not a positive duration", env, v))
			}
			*dst = d
		}
		fs.DurationVar(dst, name, *dst, usage+" (env "+env+")")
	}
	if v := getenv("ROADCHECK_PHOTO_SLOTS"); v != "" && err == nil {
		if l.PhotoSlots, err = strconv.Atoi(v); err != nil || l.PhotoSlots < 0 {
			err = exitErr(2, fmt.Errorf("ROADCHECK_PHOTO_SLOTS: %q is not a count", v))
		}
	}
	fs.IntVar(&l.PhotoSlots, "photo-slots", l.PhotoSlots, "photo verifications decoded at once; 0: half the CPUs, at least 1 (env ROADCHECK_PHOTO_SLOTS)")
	if v := getenv("ROADCHECK_PHOTO_SHARE"); v != "" && err == nil {
		if l.PhotoShare, err = strconv.ParseFloat(v, 64); err != nil || l.PhotoShare < 0 || l.PhotoShare > 1 {
			err = exitErr(2, fmt.Errorf("ROADCHECK_PHOTO_SHARE: %q is not a share from 0 to 1", v))
		}
	}
	fs.Float64Var(&l.PhotoShare, "photo-share", l.PhotoShare, "share of the CPUs anonymous photo decoding may use over time, whatever the number of addresses; 0: no budget (env ROADCHECK_PHOTO_SHARE)")
	durFlag("body-timeout", "ROADCHECK_BODY_TIMEOUT", &l.BodyReadTimeout, "time allowed to read the body of an upload or a verification")
	durFlag("slot-wait", "ROADCHECK_SLOT_WAIT", &l.SlotWait, "longest wait of a read upload or photo for a processing slot before 503 BUSY")
	return err
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
