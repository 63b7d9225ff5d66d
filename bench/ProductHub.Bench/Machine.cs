using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Npgsql;

namespace ProductHub.Bench;

/// <summary>What the figures were measured on: they mean little without it.</summary>
public static class Machine
{
    public static JsonObject Describe() => new()
    {
        ["processors"] = Environment.ProcessorCount,
        ["cpu"] = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null,
        ["memoryGb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1),
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["loadAverage"] = LoadAverage(),
    };

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg has them.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    public static async Task<JsonObject> PostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var settings = new JsonObject { ["poolSize"] = new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize };
        foreach (var name in new[] { "server_version", "shared_buffers", "fsync", "synchronous_commit", "max_connections", "work_mem" })
        {
            await using var show = new NpgsqlCommand($"SHOW {name}", connection);
            settings[name] = (string?)await show.ExecuteScalarAsync();
        }
        return settings;
    }
}
