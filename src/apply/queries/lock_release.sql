-- Release canon's apply lock.
DO RELEASE_LOCK(?)
