using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// Hubs without a connection string run a PostgreSQL of their own in their data folder. A second hub on the same
/// folder used to find that cluster "left running", stop it and start it on another port, so the first answered 503
/// from then on; now it is refused, while a cluster left behind by a hub that was SIGKILLed is still taken over.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class when_two_hubs_want_one_local_cluster : IDisposable
{
    private readonly string _folder =
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-two-hubs-" + Guid.NewGuid().ToString("N"))).FullName;

    private string Cluster => Path.Combine(_folder, "postgres");

    [Fact]
    public async Task the_second_is_refused_with_a_clear_message_and_the_first_keeps_serving()
    {
        await using var first = await Start().ReadyAsync();
        var before = Postmaster();

        await using var second = Start();

        (await second.ExitCodeAsync()).ShouldBe(1);
        second.LogTail.ShouldContain($"The local PostgreSQL in {Cluster} is run by another ProductHub (process ");
        (await first.Client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.Client.PostAsJsonAsync("/api/v1/releases", Package("TWO-1", "2026-01-10T08:00:00Z", Part("PN-TWO-1", "A", "2026-01-10"))))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        Postmaster().ShouldBe(before);
    }

    [Fact]
    public async Task the_cluster_of_a_hub_killed_with_sigkill_is_recovered_with_its_data()
    {
        var first = await Start().ReadyAsync();
        (await first.Client.PostAsJsonAsync("/api/v1/releases", Package("KILLED-1", "2026-01-10T08:00:00Z", Part("PN-KILLED-1", "A", "2026-01-10"))))
            .EnsureSuccessStatusCode();
        var (orphan, _) = Postmaster();
        first.Kill();
        await first.DisposeAsync();
        Process.GetProcessById(orphan).HasExited.ShouldBeFalse("the killed hub's PostgreSQL should still run, as after a real SIGKILL");

        await using var next = await Start().ReadyAsync();

        (await next.Client.GetAsync("/api/v1/parts/PN-KILLED-1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        Postmaster().Pid.ShouldNotBe(orphan);
    }

    private HubProcess Start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ProductHub__DataDirectory"] = _folder, [ProductHub.Hub.HubHost.EmbeddedDatabaseVariable] = "true",
        };
        TestTokens.Install(settings);
        return HubProcess.Launch(settings, HubProcess.RepositoryRoot);
    }

    /// <summary>postmaster.pid: the server's process id on the first line, its port on the fourth.</summary>
    private (int Pid, int Port) Postmaster()
    {
        var lines = File.ReadAllLines(Path.Combine(Cluster, "postmaster.pid"));
        return (int.Parse(lines[0]), int.Parse(lines[3]));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }
}
