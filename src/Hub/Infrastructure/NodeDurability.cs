using Wolverine;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// How Wolverine's durability agent treats the other processes on the database (<c>ProductHub:Cluster:Nodes</c>).
/// One node (the default) runs <see cref="DurabilityMode.Solo"/>: at start it takes over every stored message at once,
/// which is what a restarted hub needs and what would double the work of a second live node. Several nodes run
/// <see cref="DurabilityMode.Balanced"/>, with a heartbeat tight enough that a killed node's in-flight deliveries go
/// to the others within seconds rather than Wolverine's default minute (see docs/reliability.md, "Several nodes").
/// </summary>
public static class NodeDurability
{
    public const string NodesSetting = "ProductHub:Cluster:Nodes";
    public const string StaleAfterSetting = "ProductHub:Cluster:StaleNodeAfter";

    public static bool IsCluster(IConfiguration configuration) => configuration.GetValue(NodesSetting, 1) > 1;

    /// <summary>
    /// What a node of several lacks to be one hub with the others, or null. A node on an embedded database, or with a
    /// signing key of its own making, would start and look healthy, yet be a hub apart: its data, or its tokens,
    /// unknown to the others.
    /// </summary>
    /// <param name="sharedTokenKey">Whether tokens are checked against a key every node is given (a signing key, an identity provider).</param>
    public static string? Misconfiguration(IConfiguration configuration, string connectionStringName, bool sharedTokenKey)
    {
        if (!IsCluster(configuration)) return null;
        var nodes = $"{NodesSetting.Replace(":", "__")} is {configuration[NodesSetting]}";
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(connectionStringName)))
            return $"{nodes}, but ConnectionStrings__{connectionStringName} is not set: the nodes of one hub share one PostgreSQL " +
                   "(an embedded database is one node's own).";
        if (!sharedTokenKey)
            return $"{nodes}, but neither ProductHub__Auth__SigningKey nor an identity provider (ProductHub__Auth__Authority or " +
                   "ProductHub__Auth__JwksUrl) is set: each node would sign with a key of its own, and refuse the tokens of the others.";
        return null;
    }

    public static void Apply(DurabilitySettings durability, IConfiguration configuration)
    {
        if (!IsCluster(configuration))
        {
            durability.Mode = DurabilityMode.Solo;
            return;
        }
        durability.Mode = DurabilityMode.Balanced;
        // A node is stale once its heartbeat is this old; a live node beats every second, so a pause (GC, a busy
        // machine) of less than this keeps it in, and the work of one that is gone waits no longer than this.
        var staleAfter = configuration.GetValue(StaleAfterSetting, TimeSpan.FromSeconds(10));
        durability.HealthCheckPollingTime = TimeSpan.FromSeconds(1);
        durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
        durability.StaleNodeTimeout = staleAfter;
        durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(1);
        durability.FirstNodeReassignmentExecution = TimeSpan.FromSeconds(1);
        durability.OrphanedMessageSweepPollingTime = TimeSpan.FromSeconds(1);
        durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
    }
}
