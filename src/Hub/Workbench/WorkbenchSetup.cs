using ProductHub.Hub.Security;
using ProductHub.Hub.Workbench.Shell;

namespace ProductHub.Hub.Workbench;

/// <summary>
/// The integration workbench: Razor components served by the hub under <c>/ui</c>, in Blazor's interactive server
/// mode so that the monitor refreshes itself and the time slider answers as it moves, with no JavaScript build.
/// </summary>
public static class WorkbenchSetup
{
    public const string FaviconPath = "/favicon.ico";

    public static IServiceCollection AddWorkbench(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<WorkbenchCommands>();
        return services;
    }

    public static WebApplication MapWorkbench(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/ui/workbench.css", () => Results.Text(WorkbenchStyle.Css, "text/css")).ExcludeFromDescription();
        // Browsers ask for /favicon.ico on every page, the sign-in form included: answered to anyone, not with a 401.
        app.MapGet(FaviconPath, () => Results.Text(WorkbenchStyle.Icon, "image/svg+xml")).AllowAnonymous().ExcludeFromDescription();
        // Every page needs a signed-in caller who reads across plants (the pages show them all); actions check their own
        // policy (WorkbenchCommands).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Access.Operations);
        return app;
    }
}
