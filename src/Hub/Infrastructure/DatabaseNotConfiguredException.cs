namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// A hub outside Development with neither a connection string nor the embedded database asked for: a deployment
/// that forgot its connection string must not start on a private, empty PostgreSQL and look healthy.
/// </summary>
public sealed class DatabaseNotConfiguredException(string dataDirectory) : Exception(
    $"No database is configured. Set ConnectionStrings__{HubHost.ConnectionStringName} to the PostgreSQL server the hub stores its " +
    $"data in (Host=...;Database=producthub;Username=...;Password=...), or set {HubHost.EmbeddedDatabaseVariable}=true " +
    $"to have this hub run a PostgreSQL of its own with its data in {dataDirectory} (one machine, one hub; scripts/run-hub.sh sets it).");

/// <summary>A node started as one of several (<see cref="NodeDurability.NodesSetting"/>) without what they must share.</summary>
public sealed class ClusterMisconfiguredException(string message) : Exception(message);
