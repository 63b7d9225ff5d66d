using Alba;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Hub;
using Wolverine;

namespace ProductHub.Tests.Support;

/// <summary>
/// A hub on a database of its own in the test cluster, for scenarios that stop hubs, start new ones on the same
/// data, or change transports: the shared hub must never see (or recover) their messages.
/// </summary>
public static class OwnDatabase
{
    private static string Variable => $"ConnectionStrings__{HubHost.ConnectionStringName}";

    public static async Task<string> CreateAsync()
    {
        var shared = Environment.GetEnvironmentVariable(Variable)!;
        var database = new NpgsqlConnectionStringBuilder(shared) { Database = "producthub_own_" + Guid.NewGuid().ToString("N")[..8] };
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(shared) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"CREATE DATABASE {database.Database}", admin).ExecuteNonQueryAsync();
        return database.ConnectionString;
    }

    /// <summary>Starts a hub on that database; settings are environment variables, set only while it builds.</summary>
    public static async Task<IAlbaHost> HubAsync(string connectionString, params (string Name, string Value)[] settings)
    {
        var shared = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, connectionString);
        foreach (var (name, value) in settings) Environment.SetEnvironmentVariable(name, value);
        try
        {
            return (await AlbaHost.For<Program>(web => web.ConfigureServices(s => s.RunWolverineInSoloMode()))).WithDefaultToken();
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, shared);
            foreach (var (name, _) in settings) Environment.SetEnvironmentVariable(name, null);
        }
    }
}
