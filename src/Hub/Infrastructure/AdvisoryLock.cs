using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// A PostgreSQL session-level advisory lock, held on a connection of its own outside any transaction, so that of several
/// hubs on one database one at a time does what it guards; a node that dies drops its connection and the lock with it.
/// A lock is a class (a kind of work, chosen apart from Marten's and Wolverine's single-key locks) and a name hashed into it.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly int _class;
    private readonly int _key;

    private AdvisoryLock(NpgsqlConnection connection, int lockClass, int key) => (_connection, _class, _key) = (connection, lockClass, key);

    /// <summary>The lock if no one holds it now; null (and nothing held) otherwise.</summary>
    public static Task<AdvisoryLock?> TryTakeAsync(IDocumentStore store, int lockClass, string name, CancellationToken ct) =>
        TakeAsync(store, lockClass, name, "pg_try_advisory_lock", ct);

    /// <summary>
    /// Runs <paramref name="work"/> unless another node runs it now (then false): for the rounds of a background
    /// worker that every node runs and that must run on one node at a time, such as a scan of shared folders.
    /// Whichever node is free takes the next round, so the work goes on as long as any node is alive.
    /// </summary>
    public static async Task<bool> OnOneNodeAsync(IDocumentStore store, int lockClass, string name, Func<Task> work, CancellationToken ct)
    {
        await using var held = await TryTakeAsync(store, lockClass, name, ct);
        if (held is null) return false;
        await work();
        return true;
    }

    /// <summary>The lock, once whoever holds it lets go.</summary>
    public static async Task<AdvisoryLock> TakeAsync(IDocumentStore store, int lockClass, string name, CancellationToken ct) =>
        (await TakeAsync(store, lockClass, name, "pg_advisory_lock", ct))!;

    private static async Task<AdvisoryLock?> TakeAsync(IDocumentStore store, int lockClass, string name, string function, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var held = new AdvisoryLock(connection, lockClass, BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name))));
            // pg_advisory_lock answers void once it has the lock; pg_try_advisory_lock whether it got it.
            if (await held.CallAsync(function, ct) is false)
            {
                await connection.DisposeAsync();
                return null;
            }
            return held;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<object?> CallAsync(string function, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@class, @key)", _connection);
        command.Parameters.AddWithValue("class", _class);
        command.Parameters.AddWithValue("key", _key);
        return await command.ExecuteScalarAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CallAsync("pg_advisory_unlock", CancellationToken.None);
        }
        finally
        {
            // Closing the connection lets go of the lock in any case.
            await _connection.DisposeAsync();
        }
    }
}
