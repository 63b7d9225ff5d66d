using System.Runtime.Versioning;
using Npgsql;
using ProductHub.Hub.Infrastructure;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// Hubs before this one made their cluster with initdb's trust authentication, and newcomers who ran them still have
/// that <c>.data/postgres</c>: the next start must secure it before it listens, with no window and no step by hand.
/// </summary>
// File modes are what is tested, and the hub runs its own PostgreSQL on Linux only.
[UnsupportedOSPlatform("windows")]
public sealed class when_the_hub_secures_its_own_postgresql : IDisposable
{
    // What initdb --auth=trust writes, which earlier hubs left in place.
    private const string TrustedByAnEarlierHub = """
        local   all             all                                     trust
        host    all             all             127.0.0.1/32            trust
        host    all             all             ::1/128                 trust
        local   replication     all                                     trust
        host    replication     all             127.0.0.1/32            trust
        host    replication     all             ::1/128                 trust
        """;

    private readonly string _folder =
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-secure-" + Guid.NewGuid().ToString("N"))).FullName;

    private string Cluster => Path.Combine(_folder, "postgres");

    [Fact]
    public async Task a_cluster_an_earlier_hub_made_with_trust_needs_the_password_from_its_next_start()
    {
        using (LocalPostgres.Start(Cluster, "producthub", fast: false)) { }
        await File.WriteAllTextAsync(Path.Combine(Cluster, "pg_hba.conf"), TrustedByAnEarlierHub);
        File.Delete(LocalPostgres.PasswordFile(Cluster));

        using var secured = LocalPostgres.Start(Cluster, "producthub", fast: false);

        (await File.ReadAllTextAsync(Path.Combine(Cluster, "pg_hba.conf"))).ShouldBe(LocalPostgres.HostBasedAuthentication);
        File.GetUnixFileMode(LocalPostgres.PasswordFile(Cluster)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var withoutPassword = new NpgsqlConnectionStringBuilder(secured.ConnectionString) { Password = null, Pooling = false }.ConnectionString;
        await Should.ThrowAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection(withoutPassword);
            await connection.OpenAsync();
        });
        await using var hub = new NpgsqlConnection(secured.ConnectionString);
        await hub.OpenAsync();
        (await new NpgsqlCommand("select current_user", hub).ExecuteScalarAsync()).ShouldBe("postgres");
    }

    [Fact]
    public void a_second_owner_of_a_running_cluster_is_refused_and_the_first_keeps_it()
    {
        using var first = LocalPostgres.Start(Cluster, "producthub", fast: true);

        var refused = Should.Throw<ClusterInUseException>(() => LocalPostgres.Start(Cluster, "producthub", fast: true));

        refused.Message.ShouldContain($"process {Environment.ProcessId}");
        using var connection = new NpgsqlConnection(first.ConnectionString);
        connection.Open();
        new NpgsqlCommand("select inet_server_port()", connection).ExecuteScalar().ShouldBe(first.Port);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }
}
