using Npgsql;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// One node at a time does its start-up schema work: nodes started together on a fresh database would otherwise
/// create the same tables and indexes at once, and all but one fail (42P07 "already exists"). Marten's own migration
/// lock does not cover it: JasperFx's resource setup (<c>AddResourceSetupOnStartup</c>) applies Marten's schema
/// without any lock, and Marten's lock gives up after half a second, which fails a node whose neighbour is migrating.
/// So a session-level advisory lock is taken before any hosted service starts (Starting) and released once all have
/// (Started); the nodes that wait find the schema made and change nothing.
/// </summary>
public sealed class StartupSchemaLock(string connectionString, ILogger<StartupSchemaLock> logger)
    : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>The advisory lock's key, chosen apart from Marten's (4004), Wolverine's (4006) and its agents'.</summary>
    public const long Key = 0x50485f534348454d; // "PH_SCHEM"

    /// <summary>How long a node waits for another's start-up before it stops with an error rather than hang.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private NpgsqlConnection? _connection;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Unpooled, so that closing it ends the session and with it the lock; a pooled one would keep it while idle.
        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await _connection.OpenAsync(cancellationToken);
        await using var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", _connection)
        {
            Parameters = { new("key", Key) }, CommandTimeout = (int)Patience.TotalSeconds,
        };
        try
        {
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            throw new InvalidOperationException(
                $"Another ProductHub node has been starting on this database for {Patience.TotalMinutes} minutes and still holds the " +
                $"start-up schema lock (pg_advisory_lock({Key})); see that node's log, or pg_locks, for what it waits on.", e);
        }
        logger.LogInformation("Holding the start-up schema lock while the store and queues are set up");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every hosted service has started, so every schema object is there: closing the session releases the lock.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Also when a start fails: the lock must not outlive the attempt in a host that is disposed, not exited.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }
}
