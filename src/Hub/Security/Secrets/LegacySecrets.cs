using Marten;
using Npgsql;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Webhooks;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Security.Secrets;

/// <summary>
/// Moves auth headers out of configuration events of the first shapes, at start-up, before any sender runs. The
/// secret of each stream's latest configuration goes into the store (deliveries go on authenticating after an
/// upgrade); the plain text in every such row of <c>mt_events</c> is overwritten with <see cref="Moved"/>, so no
/// backup or SQL reader finds it either; the snapshot documents built from those events (which held the header as
/// well) are rebuilt through the upcasters. One transaction: a crash leaves the old rows, moved at the next start.
/// Done once per database: the transaction also records <see cref="LegacySecretsMoved"/>, and later starts skip the
/// scan of the event table (no code appends the first shapes any more).
/// </summary>
public sealed class LegacySecrets(IDocumentStore store, SecretStore secrets, ILogger<LegacySecrets> logger) : IHostedService
{
    /// <summary>What an old row holds instead of its secret: not a secret itself, and still "set" to the upcaster.</summary>
    public const string Moved = "(moved to the secret store)";

    private sealed record Shape(string EventType, string[] Path, string Field, Type Configured, Func<IDocumentSession, string, CancellationToken, Task> Rebuild);

    private static readonly Shape[] Shapes =
    [
        new(ErpInstanceConfiguredV1.EventTypeName, ["http", "authHeader"], SecretName.ErpAuthHeaderField, typeof(ErpInstanceConfigured),
            Rebuild<ErpInstanceView>),
        new(WebhookConfiguredV1.EventTypeName, ["authHeader"], SecretName.WebhookAuthHeaderField, typeof(WebhookConfigured),
            Rebuild<WebhookView>),
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<LegacySecretsMoved>(LegacySecretsMoved.Once, ct) is not null) return;
        var moved = new List<string>();
        foreach (var shape in Shapes)
        {
            var legacy = await LegacyRowsAsync(schema, shape, ct);
            foreach (var stream in legacy.GroupBy(r => r.Stream))
            {
                var (sequence, _, secret) = stream.MaxBy(r => r.Sequence)!;
                var events = await session.Events.FetchStreamAsync(stream.Key, token: ct);
                // A later configuration (of the new shape) has its own secret already, or none.
                if (events.Last(e => e.EventType == shape.Configured).Sequence == sequence)
                {
                    secrets.Store(session, new SecretName(stream.Key, shape.Field), secret);
                }
                await shape.Rebuild(session, stream.Key, ct);
                moved.Add(stream.Key);
            }
            if (legacy.Count > 0)
            {
                session.QueueSqlCommand(
                    $"UPDATE {schema}.mt_events SET data = jsonb_set(data, ?::text[], to_jsonb(?::text)) WHERE type = ? AND coalesce(data #>> ?::text[], '') NOT IN ('', ?)",
                    shape.Path, Moved, shape.EventType, shape.Path, Moved);
            }
        }
        session.Store(new LegacySecretsMoved());
        await session.SaveChangesAsync(ct);
        if (moved.Count > 0) logger.LogInformation("Moved the auth headers of {Streams} out of their events into the secret store", moved);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task<List<(long Sequence, string Stream, string Secret)>> LegacyRowsAsync(string schema, Shape shape, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT seq_id, stream_id, data #>> @path FROM {schema}.mt_events WHERE type = @type AND coalesce(data #>> @path, '') NOT IN ('', @moved)",
            connection);
        command.Parameters.AddWithValue("path", shape.Path);
        command.Parameters.AddWithValue("type", shape.EventType);
        command.Parameters.AddWithValue("moved", Moved);
        var rows = new List<(long, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    private static async Task Rebuild<T>(IDocumentSession session, string stream, CancellationToken ct) where T : class =>
        session.Store((await session.Events.AggregateStreamAsync<T>(stream, token: ct))!);
}

/// <summary>That the first shapes' secrets have been moved out of this database's events.</summary>
public sealed class LegacySecretsMoved
{
    public const string Once = "legacy-secrets-moved";

    public string Id { get; set; } = Once;
}
