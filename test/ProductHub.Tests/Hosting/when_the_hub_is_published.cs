using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using ProductHub.Hub.Workbench;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// The hub as a deployment runs it: <c>dotnet publish</c>, then <c>dotnet /path/to/ProductHub.Hub.dll</c> started from
/// some other folder, in the Production environment. The workbench's pages are blank unless Blazor's script is served.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class when_the_hub_is_published : IDisposable
{
    private readonly string _folder =
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-published-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task started_from_another_folder_it_serves_blazors_script_as_published()
    {
        var output = Path.Combine(_folder, "app");
        // --no-build: the very build the tests run on, laid out as a deployment gets it.
        var publish = await RunAsync("dotnet", "publish", Path.Combine(HubProcess.RepositoryRoot, "src", "Hub", "Hub.csproj"),
            "-c", HubProcess.Configuration, "--no-build", "-o", output, "--nologo", "-v", "q");
        publish.ExitCode.ShouldBe(0, publish.Output);
        var settings = new Dictionary<string, string?> { [$"ConnectionStrings__{ProductHub.Hub.HubHost.ConnectionStringName}"] = await OwnDatabase.CreateAsync() };
        TestTokens.Install(settings);

        await using var hub = await HubProcess.Launch(settings, Directory.CreateDirectory(Path.Combine(_folder, "elsewhere")).FullName,
            "dotnet", Path.Combine(output, "ProductHub.Hub.dll")).ReadyAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.Url) };

        using var script = await anonymous.GetAsync("/_framework/blazor.web.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        // By digest: a mismatch of 200 kB would drown the test's output.
        var served = await script.Content.ReadAsByteArrayAsync();
        var published = await File.ReadAllBytesAsync(Path.Combine(output, "wwwroot", "_framework", "blazor.web.js"));
        (served.Length, Convert.ToHexString(SHA256.HashData(served))).ShouldBe((published.Length, Convert.ToHexString(SHA256.HashData(published))));
        (await anonymous.GetAsync(WorkbenchSetup.FaviconPath)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }
}
