/* The stable C ABI for partitioner plugins (shared libraries loaded by path through
 * partitioner.class). C only, so a plugin built with another compiler or standard library
 * works. A plugin exports one function:
 *
 *     const bs_partitioner_plugin* bs_partitioner_plugin_entry(void);
 *
 * returning a pointer to a static descriptor with abi_version == BS_PARTITIONER_ABI_VERSION.
 * The producer may call partition() concurrently from many threads: plugin state must be
 * thread-safe. Strings are not NUL-terminated unless stated; lengths are given. */
#ifndef BS_PARTITIONER_PLUGIN_H
#define BS_PARTITIONER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BS_PARTITIONER_ABI_VERSION 1u

/* What the plugin may know about the topic's partitions at partition() time. */
typedef struct bs_partitioner_cluster {
    int32_t partition_count;             /* all partitions of the topic (> 0) */
    const int32_t* available_partitions; /* partitions with a known leader, ascending */
    int32_t available_count;             /* may be 0 */
} bs_partitioner_cluster;

typedef struct bs_partitioner_plugin {
    uint32_t abi_version; /* BS_PARTITIONER_ABI_VERSION */
    const char* name;     /* NUL-terminated, shown in the GUI */

    /* Creates an instance from the producer configuration (NUL-terminated key/value arrays of
     * length count). Returns NULL on error after writing a NUL-terminated reason into
     * error/error_len. */
    void* (*create)(const char* const* keys, const char* const* values, size_t count, char* error,
                    size_t error_len);
    void (*destroy)(void* instance);

    /* The partition in [0, partition_count) for a record. key == NULL with key_len == -1 is a
     * null key (same for value). A negative return is an error. */
    int32_t (*partition)(void* instance, const char* topic, size_t topic_len, const uint8_t* key,
                         int64_t key_len, const uint8_t* value, int64_t value_len,
                         const bs_partitioner_cluster* cluster);

    /* Optional (may be NULL): KIP-480's onNewBatch. */
    void (*on_new_batch)(void* instance, const char* topic, size_t topic_len,
                         const bs_partitioner_cluster* cluster, int32_t prev_partition);

    /* Optional (may be NULL): a NUL-terminated description of how the key would be placed,
     * written into buf (truncated to buf_len). */
    void (*explain)(void* instance, const char* topic, size_t topic_len, const uint8_t* key,
                    int64_t key_len, const bs_partitioner_cluster* cluster, char* buf,
                    size_t buf_len);
} bs_partitioner_plugin;

typedef const bs_partitioner_plugin* (*bs_partitioner_plugin_entry_fn)(void);
#define BS_PARTITIONER_PLUGIN_ENTRY "bs_partitioner_plugin_entry"

#ifdef __cplusplus
}
#endif

#endif /* BS_PARTITIONER_PLUGIN_H */
