package mongostore

import (
	"hash/fnv"
	"sync"
)

// keyedMutex serializes work per key with a fixed set of stripes: bounded memory whatever the
// number of keys, and unrelated keys rarely wait for each other.
type keyedMutex struct {
	stripes [256]sync.Mutex
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{} }

func (k *keyedMutex) lock(key string) (unlock func()) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	m := &k.stripes[h.Sum32()%uint32(len(k.stripes))]
	m.Lock()
	return m.Unlock
}
