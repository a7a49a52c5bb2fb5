/* mock_cluster: librdkafka's mock cluster (an independent Kafka broker implementation) wrapped
 * for scripting by tests and benchmarks.
 *
 *   mock_cluster [--brokers N] [--topic NAME:PARTITIONS[:RF]]...
 *
 * Prints "bootstrap.servers=HOST:PORT,..." as its first line, then reads commands from stdin,
 * one per line, answering each with "ok" or "error: <why>" so a driver can wait for it:
 *   down B | up B                    take broker B down / bring it up (no leader change)
 *   rtt B MS                         add MS ms round-trip delay to broker B
 *   errors API CODE [COUNT]          the next COUNT requests of API key API fail with CODE
 *   broker_errors B API CODE COUNT [RTT_MS]   same, on broker B only, with an optional delay
 *   clear API                        forget pushed errors for API
 *   leader TOPIC PARTITION B         move a partition's leader to broker B
 *   topic NAME PARTITIONS [RF]       create a topic
 *   quit                             exit (EOF on stdin does the same)
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_topic(rd_kafka_mock_cluster_t* mc, const char* spec, char* err, size_t errlen) {
    char name[256];
    int partitions = 0, rf = 1;
    const char* colon = strchr(spec, ':');
    size_t n;
    if (!colon) {
        snprintf(err, errlen, "topic spec '%s' must be NAME:PARTITIONS[:RF]", spec);
        return -1;
    }
    n = (size_t)(colon - spec);
    if (n == 0 || n >= sizeof(name)) {
        snprintf(err, errlen, "topic name in '%s' is empty or too long", spec);
        return -1;
    }
    memcpy(name, spec, n);
    name[n] = '\0';
    if (sscanf(colon + 1, "%d:%d", &partitions, &rf) < 1 || partitions <= 0 || rf <= 0) {
        snprintf(err, errlen, "bad partition count or replication factor in '%s'", spec);
        return -1;
    }
    if (rd_kafka_mock_topic_create(mc, name, partitions, rf) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        snprintf(err, errlen, "cannot create topic '%s'", name);
        return -1;
    }
    return 0;
}

static void reply(rd_kafka_resp_err_t e) {
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
        printf("ok\n");
    else
        printf("error: %s\n", rd_kafka_err2str(e));
    fflush(stdout);
}

static void run_command(rd_kafka_mock_cluster_t* mc, const char* line, int brokers) {
    char cmd[32], topic[256];
    int a = 0, b = 0, c = 0, d = 0, e = 0;
    int n;
    if (sscanf(line, "%31s", cmd) != 1) return;
    if (strcmp(cmd, "down") == 0 && sscanf(line, "%*s %d", &a) == 1) {
        reply(rd_kafka_mock_broker_set_down(mc, a));
    } else if (strcmp(cmd, "up") == 0 && sscanf(line, "%*s %d", &a) == 1) {
        reply(rd_kafka_mock_broker_set_up(mc, a));
    } else if (strcmp(cmd, "rtt") == 0 && sscanf(line, "%*s %d %d", &a, &b) == 2) {
        reply(rd_kafka_mock_broker_set_rtt(mc, a, b));
    } else if (strcmp(cmd, "errors") == 0 && (n = sscanf(line, "%*s %d %d %d", &a, &b, &c)) >= 2) {
        int i, count = n == 3 ? c : 1;
        rd_kafka_resp_err_t* errs;
        if (count <= 0 || count > 1000000) {
            printf("error: bad count %d\n", count);
            fflush(stdout);
            return;
        }
        errs = malloc(sizeof(*errs) * (size_t)count);
        for (i = 0; i < count; i++)
            errs[i] = (rd_kafka_resp_err_t)b;
        rd_kafka_mock_push_request_errors_array(mc, (int16_t)a, (size_t)count, errs);
        free(errs);
        reply(RD_KAFKA_RESP_ERR_NO_ERROR);
    } else if (strcmp(cmd, "broker_errors") == 0 &&
               (n = sscanf(line, "%*s %d %d %d %d %d", &a, &b, &c, &d, &e)) >= 4) {
        /* Pushed one at a time: the API is variadic (err, rtt) pairs. */
        rd_kafka_resp_err_t r = RD_KAFKA_RESP_ERR_NO_ERROR;
        int i;
        for (i = 0; i < d && r == RD_KAFKA_RESP_ERR_NO_ERROR; i++)
            r = rd_kafka_mock_broker_push_request_error_rtts(
                mc, a, (int16_t)b, 1, (rd_kafka_resp_err_t)c, n == 5 ? e : 0);
        reply(r);
    } else if (strcmp(cmd, "clear") == 0 && sscanf(line, "%*s %d", &a) == 1) {
        rd_kafka_mock_clear_request_errors(mc, (int16_t)a);
        reply(RD_KAFKA_RESP_ERR_NO_ERROR);
    } else if (strcmp(cmd, "leader") == 0 && sscanf(line, "%*s %255s %d %d", topic, &a, &b) == 3) {
        reply(rd_kafka_mock_partition_set_leader(mc, topic, a, b));
    } else if (strcmp(cmd, "topic") == 0 &&
               (n = sscanf(line, "%*s %255s %d %d", topic, &a, &b)) >= 2) {
        reply(rd_kafka_mock_topic_create(mc, topic, a, n == 3 ? b : 1));
    } else {
        printf("error: unknown or malformed command (brokers are 1..%d): %s", brokers, line);
        if (line[0] == '\0' || line[strlen(line) - 1] != '\n') printf("\n");
        fflush(stdout);
    }
}

int main(int argc, char** argv) {
    int brokers = 3, i;
    char errstr[512], line[1024];
    rd_kafka_conf_t* conf;
    rd_kafka_t* rk;
    rd_kafka_mock_cluster_t* mc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) {
            brokers = atoi(argv[++i]);
            if (brokers <= 0 || brokers > 64) {
                fprintf(stderr, "mock_cluster: --brokers must be 1..64\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
            i++; /* handled after the cluster exists */
        } else {
            fprintf(stderr,
                    "usage: mock_cluster [--brokers N] [--topic NAME:PARTITIONS[:RF]]...\n");
            return 2;
        }
    }

    conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!rk) {
        fprintf(stderr, "mock_cluster: rd_kafka_new: %s\n", errstr);
        return 1;
    }
    mc = rd_kafka_mock_cluster_new(rk, brokers);
    if (!mc) {
        fprintf(stderr, "mock_cluster: cannot create the mock cluster\n");
        rd_kafka_destroy(rk);
        return 1;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--topic") == 0) {
            if (parse_topic(mc, argv[++i], errstr, sizeof(errstr)) != 0) {
                fprintf(stderr, "mock_cluster: %s\n", errstr);
                rd_kafka_mock_cluster_destroy(mc);
                rd_kafka_destroy(rk);
                return 2;
            }
        } else if (strcmp(argv[i], "--brokers") == 0) {
            i++;
        }
    }

    printf("bootstrap.servers=%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);

    while (fgets(line, sizeof(line), stdin)) {
        if (strncmp(line, "quit", 4) == 0) break;
        run_command(mc, line, brokers);
    }

    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
