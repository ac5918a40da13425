package emr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.EmrConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/** Finds the cluster a run submits to: the one given by id, the newest WAITING/RUNNING one by name, or a new one. */
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
        String id = emr.runJobFlow(runJobFlowRequest(runId)).jobFlowId();
        LOG.info("Created EMR cluster {} ({}, {}) for run {}", id, config.clusterName(), config.releaseLabel(), runId);
        return new Target(id, true);
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
                .tags(config.tagsFor(runId).entrySet().stream()
                              .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
                .bootstrapActions(config.bootstrapActions().entrySet().stream()
                                          .map(e -> BootstrapActionConfig.builder().name(e.getKey())
                                                  .scriptBootstrapAction(s -> s.path(e.getValue())).build())
                                          .toList());
        if (config.configurationsFile().isPresent()) {
            request.configurations(readConfigurations(config.configurationsFile().get()));
        }
        config.autoTerminationIdleTimeout().ifPresent(idle -> request.autoTerminationPolicy(
                AutoTerminationPolicy.builder().idleTimeout(idle.toSeconds()).build()));
        return request.build();
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
