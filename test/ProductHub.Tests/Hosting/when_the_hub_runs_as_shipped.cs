using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using Microsoft.Playwright;
using Npgsql;
using ProductHub.Hub.Infrastructure;
using ProductHub.Tests.Support;
using ProductHub.Tests.Workbench;
using static Microsoft.Playwright.Assertions;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// What a newcomer gets from the README's first command: the workbench renders in a real browser after sign-in, and
/// the hub's own PostgreSQL lets no one in without the password only the hub's OS user can read.
/// </summary>
// In the shared hub's collection so that its minutes of start-up do not compete with the other tests for the machine.
// File modes are what is tested, and the hub runs its own PostgreSQL on Linux only.
[UnsupportedOSPlatform("windows")]
[Collection(HubCollection.Name)]
public sealed partial class when_the_hub_runs_as_shipped(ShippedHub hub) : IClassFixture<ShippedHub>
{
    [Fact]
    public async Task the_workbench_signs_in_and_shows_the_monitor_and_the_part_explorer()
    {
        var failed = new ConcurrentQueue<string>();
        var page = await WorkbenchHub.OpenAsync(hub.Browser, hub.Url + "/ui", hub.Token,
            watch: p => p.Response += (_, response) => { if (response.Status >= 400) failed.Enqueue($"{response.Status} {response.Url}"); });

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Monitor" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "erp-p100" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Part explorer" }).ClickAsync();
        await page.GetByLabel("Part number or description").FillAsync("pump");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "PN-1000", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-bom-summary]")).ToContainTextAsync("rev B");
        await Expect(page.Locator("li[data-path^='PN-1000/PN-1100']").First).ToBeVisibleAsync();

        // Every request the pages made was answered, the icon the browser asks for by itself included.
        failed.ShouldBeEmpty();
    }

    [Fact]
    public void it_runs_handler_code_generated_when_it_was_built_and_compiles_nothing_at_start()
    {
        hub.Logged("Handler code: pre-generated, loaded without compiling").ShouldBeTrue();
        hub.Logged("Handler code: compiled at start").ShouldBeFalse();
    }

    /// <summary>One node, as the demo runs: a restarted hub takes over every stored message at once (see docs/reliability.md).</summary>
    [Fact]
    public async Task a_single_node_takes_all_stored_work_as_its_own()
    {
        var node = (await hub.Api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/health/ready"))!["checks"]!["node"]!;
        node["data"]!["mode"]!.GetValue<string>().ShouldBe("Solo");
    }

    [Fact]
    public async Task the_icon_is_served_to_anyone()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.Url) };
        using var icon = await anonymous.GetAsync("/favicon.ico");

        icon.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        icon.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        System.Xml.Linq.XDocument.Parse(await icon.Content.ReadAsStringAsync()).Root!.Name.LocalName.ShouldBe("svg");
    }

    [Fact]
    public async Task its_own_database_lets_no_one_in_without_the_password_only_the_hub_can_read()
    {
        // postmaster.pid: pid, data folder, start time, port, socket folder, listen address, ...
        var port = int.Parse(File.ReadAllLines(Path.Combine(hub.Cluster, "postmaster.pid"))[3]);
        var passwordFile = LocalPostgres.PasswordFile(hub.Cluster);
        File.GetUnixFileMode(passwordFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                     UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        (File.GetUnixFileMode(hub.Cluster + ".sock") & others).ShouldBe(UnixFileMode.None);

        var server = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "producthub", Pooling = false };
        await Should.ThrowAsync<NpgsqlException>(() => OpenAsync(server.ConnectionString));
        var wrong = await Should.ThrowAsync<PostgresException>(() => OpenAsync(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "guessed" }.ConnectionString));
        wrong.SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
        await using (var allowed = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = File.ReadAllText(passwordFile) }.ConnectionString))
        {
            await allowed.OpenAsync();
            (await new NpgsqlCommand("select count(*) from producthub.mt_events", allowed).ExecuteScalarAsync()).ShouldBeOfType<long>().ShouldBeGreaterThan(0);
        }

        // What the attacker of issue 12 did: another local account, psql on the loopback port and on the socket.
        var tcp = await PsqlAsOtherUserAsync("-h", "127.0.0.1", "-p", port.ToString());
        tcp.ExitCode.ShouldNotBe(0);
        tcp.Output.ShouldContain("no password supplied");
        var socket = await PsqlAsOtherUserAsync("-h", hub.Cluster + ".sock", "-p", port.ToString());
        socket.ExitCode.ShouldNotBe(0);
    }

    private static async Task OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }

    /// <summary>psql as <c>nobody</c> when the tests run as root (as CI does), else as the tests' own account, never with a password.</summary>
    private static async Task<(int ExitCode, string Output)> PsqlAsOtherUserAsync(params string[] where)
    {
        string[] psql = ["psql", "-w", "-U", "postgres", "-d", "producthub", "-c", "select 1", .. where];
        var start = new ProcessStartInfo(Environment.UserName == "root" ? "runuser" : psql[0])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/",
        };
        foreach (var argument in Environment.UserName == "root" ? ["-u", "nobody", "--", .. psql] : psql[1..]) start.ArgumentList.Add(argument);
        start.Environment.Remove("PGPASSWORD");
        using var process = Process.Start(start)!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
