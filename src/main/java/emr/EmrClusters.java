package emr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.EmrConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.AutoTerminationPolicy;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.Tag;

/**
 * Finds the cluster a run submits to: the one given by id, the newest WAITING/RUNNING one by name, the one already
 * tagged with the run (a retry or restart), or a new one. RunJobFlow is not idempotent, so it is sent once, never
 * retried by the SDK; when its answer is lost, the run tag tells whether the cluster was made.
 */
public final class EmrClusters {

    private static final Logger LOG = LoggerFactory.getLogger(EmrClusters.class);
    private static final Set<ClusterState> USABLE =
            Set.of(ClusterState.STARTING, ClusterState.BOOTSTRAPPING, ClusterState.RUNNING, ClusterState.WAITING);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cluster to use and whether this app created it (and so must terminate it). */
    public record Target(String clusterId, boolean created) {
    }

    private final EmrClient emr;
    private final EmrConfig config;

    public EmrClusters(EmrClient emr, EmrConfig config) {
        this.emr = emr;
        this.config = config;
    }

    public Target resolve(String runId) throws IOException {
        if (config.clusterId().isPresent()) {
            return new Target(reuseById(config.clusterId().get()), false);
        }
        if (config.reuseClusterName().isPresent()) {
            return new Target(reuseByName(config.reuseClusterName().get()), false);
        }
        Optional<String> tagged = taggedWith(runId);
        if (tagged.isPresent()) {
            LOG.info("EMR cluster {} is already tagged {}={}: using it, not creating another", tagged.get(),
                     EmrConfig.RUN_TAG, runId);
            return new Target(tagged.get(), true);
        }
        RunJobFlowRequest request = runJobFlowRequest(runId);
        String id;
        try {
            id = emr.runJobFlow(request).jobFlowId();
        } catch (SdkException e) {
            // the cluster may exist even though the answer did not arrive (a timeout, a 5xx after the fact)
            id = taggedWith(runId).orElseThrow(() -> e);
            LOG.warn("RunJobFlow for run {} failed ({}), but cluster {} with its tag exists: using it", runId,
                     e.getMessage(), id);
            return new Target(id, true);
        }
        LOG.info("Created EMR cluster {} ({}, {}) for run {}", id, config.clusterName(), config.releaseLabel(), runId);
        return new Target(id, true);
    }

    /** A cluster not yet terminated that carries the run tag of {@code runId}. */
    Optional<String> taggedWith(String runId) {
        Tag wanted = Tag.builder().key(EmrConfig.RUN_TAG).value(runId).build();
        for (ClusterSummary summary : emr.listClustersPaginator(b -> b.clusterStates(USABLE)).clusters()) {
            if (config.clusterName().equals(summary.name())
                && emr.describeCluster(b -> b.clusterId(summary.id())).cluster().tags().contains(wanted)) {
                return Optional.of(summary.id());
            }
        }
        return Optional.empty();
    }

    public void terminate(String clusterId) {
        LOG.info("Terminating EMR cluster {}", clusterId);
        emr.terminateJobFlows(b -> b.jobFlowIds(clusterId));
    }

    private String reuseById(String clusterId) {
        Cluster cluster = emr.describeCluster(b -> b.clusterId(clusterId)).cluster();
        if (!USABLE.contains(cluster.status().state())) {
            throw new IllegalStateException("pipeline.emr.clusterId=" + clusterId + " cannot take steps, it is "
                                            + cluster.status().stateAsString());
        }
        LOG.info("Reusing EMR cluster {} ({}), {}", clusterId, cluster.name(), cluster.status().stateAsString());
        return clusterId;
    }

    private String reuseByName(String name) {
        List<ClusterSummary> matches = new ArrayList<>();
        emr.listClustersPaginator(b -> b.clusterStates(ClusterState.WAITING, ClusterState.RUNNING)).clusters()
                .forEach(c -> {
                    if (name.equals(c.name())) {
                        matches.add(c);
                    }
                });
        ClusterSummary newest = matches.stream()
                .max(Comparator.comparing(c -> c.status().timeline().creationDateTime()))
                .orElseThrow(() -> new IllegalStateException("pipeline.emr.reuseClusterName=" + name
                                                             + ": no EMR cluster with that name is WAITING or RUNNING"));
        LOG.info("Reusing EMR cluster {} found by name '{}' ({} candidates)", newest.id(), name, matches.size());
        return newest.id();
    }

    RunJobFlowRequest runJobFlowRequest(String runId) throws IOException {
        var instances = JobFlowInstancesConfig.builder()
                .masterInstanceType(config.masterInstanceType())
                .slaveInstanceType(config.coreInstanceType())
                .instanceCount(config.instanceCount())
                .keepJobFlowAliveWhenNoSteps(config.keepJobFlowAliveWhenNoSteps());
        config.ec2KeyName().ifPresent(instances::ec2KeyName);
        config.subnetId().ifPresent(instances::ec2SubnetId);

        var request = RunJobFlowRequest.builder()
                .name(config.clusterName())
                .logUri(config.logUri())
                .releaseLabel(config.releaseLabel())
                .applications(config.applications().stream().map(a -> Application.builder().name(a).build()).toList())
                .instances(instances.build())
                .serviceRole(config.serviceRole())
                .jobFlowRole(config.jobFlowRole())
                .visibleToAllUsers(true)
                .overrideConfiguration(o -> o.addPlugin(EmrClusters::sentOnce))
                .tags(config.tagsFor(runId).entrySet().stream()
                              .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
                .bootstrapActions(config.bootstrapActions().entrySet().stream()
                                          .map(e -> BootstrapActionConfig.builder().name(e.getKey())
                                                  .scriptBootstrapAction(s -> s.path(e.getValue())).build())
                                          .toList());
        if (config.configurationsFile().isPresent()) {
            request.configurations(readConfigurations(config.configurationsFile().get()));
        }
        request.autoTerminationPolicy(AutoTerminationPolicy.builder()
                                              .idleTimeout(config.autoTerminationIdleTimeout().toSeconds()).build());
        return request.build();
    }

    /** A request plugin that turns the SDK's retries off for one call. */
    static void sentOnce(SdkServiceClientConfiguration.Builder client) {
        client.overrideConfiguration(client.overrideConfiguration().toBuilder()
                                             .retryStrategy(AwsRetryStrategy.doNotRetry()).build());
    }

    /** EMR's configuration JSON: [{"Classification": .., "Properties": {..}, "Configurations": [..]}]. */
    static List<Configuration> readConfigurations(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!root.isArray()) {
            throw new IllegalArgumentException("pipeline.emr.configurationsFile must hold a JSON array of"
                                               + " configurations, " + file + " does not");
        }
        return configurations(root);
    }

    private static List<Configuration> configurations(JsonNode array) {
        List<Configuration> result = new ArrayList<>();
        for (JsonNode node : array) {
            var configuration = Configuration.builder().classification(node.path("Classification").asText(null));
            if (node.has("Properties")) {
                configuration.properties(JSON.convertValue(node.get("Properties"),
                        JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class)));
            }
            if (node.has("Configurations")) {
                configuration.configurations(configurations(node.get("Configurations")));
            }
            result.add(configuration.build());
        }
        return result;
    }
}
