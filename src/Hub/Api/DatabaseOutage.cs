using System.Net.Sockets;
using Npgsql;

namespace ProductHub.Hub.Api;

/// <summary>Whether a failure means the database could not be reached (so trying again later may work).</summary>
public static class DatabaseOutage
{
    // Marten and Wolverine wrap what Npgsql throws, so the cause may sit a few levels down.
    public static bool Is(Exception e) => e switch
    {
        NpgsqlException { InnerException: SocketException } or NpgsqlException { IsTransient: true } => true,
        _ => e.InnerException is { } inner && Is(inner),
    };
}
