// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/application.h"

#include "app/embeddedserver.h"
#include "app/singleinstance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLoggingCategory>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>
#include <utility>

Q_LOGGING_CATEGORY(lcApp, "xeroml.app")

namespace {

constexpr int kScreenshotTimeoutMs = 120000;
constexpr int kSettleFrames = 4;
constexpr int kQuietFrameMs = 500;

// Waits until the window has rendered a few frames in a row (or went quiet), then says so
// once and deletes itself.
class FrameSettler : public QObject
{
    Q_OBJECT
public:
    FrameSettler(QQuickWindow *window, QObject *parent)
        : QObject(parent)
        , m_window(window)
    {
        m_quiet.setSingleShot(true);
        m_quiet.setInterval(kQuietFrameMs);
        connect(&m_quiet, &QTimer::timeout, this, &FrameSettler::finish);
        connect(window, &QQuickWindow::frameSwapped, this, [this] {
            if (++m_frames >= kSettleFrames)
                return finish();
            m_quiet.start();
            m_window->requestUpdate();
        });
        m_quiet.start();
        window->requestUpdate();
    }

Q_SIGNALS:
    void settled();

private:
    void finish()
    {
        if (std::exchange(m_done, true))
            return;
        m_quiet.stop();
        disconnect(m_window, nullptr, this, nullptr);
        Q_EMIT settled();
        deleteLater();
    }

    QQuickWindow *m_window;
    QTimer m_quiet;
    int m_frames = 0;
    bool m_done = false;
};

void printError(const QString &message)
{
    std::fprintf(stderr, "xeroml-dashboard: %s\n", qPrintable(message));
}

} // namespace

Application::Application(QApplication &app)
    : m_app(app)
    , m_context(&m_client)
{
    AppContext::setInstance(&m_context);
}

Application::~Application()
{
    m_engine.reset(); // QML goes before the context it reads
    AppContext::setInstance(nullptr);
}

int Application::start()
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Per-user LLM usage analytics: traces, tokens, cost and scores per user.\n"
                       "With no connection given, runs on the embedded local XeroML server;\n"
                       "a deep link picks the saved connection whose address it names."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Load, wait for the page's data, save a picture of the window, exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption baseUrl(QStringLiteral("base-url"),
                                     QStringLiteral("Server to read from (secret key from the "
                                                    "environment variable XEROML_SECRET_KEY)."),
                                     QStringLiteral("URL"));
    const QCommandLineOption publicKey(QStringLiteral("public-key"),
                                       QStringLiteral("Public key (pk-…) for --base-url."),
                                       QStringLiteral("PK"));
    const QCommandLineOption connectionOption(
        QStringLiteral("connection"),
        QStringLiteral("A saved connection (see Settings), or \"%1\".")
            .arg(ConnectionStore::localServerName()),
        QStringLiteral("NAME"));
    parser.addOptions({screenshot, baseUrl, publicKey, connectionOption});
    parser.addPositionalArgument(
        QStringLiteral("DEEP-LINK"),
        QStringLiteral("xeroml://HOST/project/ID/users/USER (or https://…) to open."),
        QStringLiteral("[DEEP-LINK]"));
    parser.process(m_app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        printError(QStringLiteral("unexpected argument \"%1\" (one deep link at most; see --help)")
                       .arg(positional.at(1)));
        return 2;
    }
    std::optional<DeepLink> link;
    if (!positional.isEmpty()) {
        QString error;
        link = DeepLink::parse(positional.constFirst(), &error);
        if (!link) {
            printError(QStringLiteral("cannot open the link: %1").arg(error));
            return 2;
        }
    }
    m_screenshotPath = parser.value(screenshot);
    const bool explicitConnection =
        parser.isSet(baseUrl) || parser.isSet(publicKey) || parser.isSet(connectionOption);
    if (parser.isSet(connectionOption) && (parser.isSet(baseUrl) || parser.isSet(publicKey))) {
        printError(QStringLiteral("--connection and --base-url exclude each other"));
        return 2;
    }

    // One window per user: an interactive launch hands its link to the running instance.
    // --screenshot runs are tools and never forward nor take the socket.
    if (m_screenshotPath.isEmpty()) {
        m_instance = std::make_unique<SingleInstance>();
        if (!explicitConnection && m_instance->forward(link ? link->toString() : QString())) {
            std::fprintf(stdout, "handed over to the running xeroml-dashboard\n");
            return 0;
        }
        QString error;
        if (!m_instance->listen(&error))
            qCWarning(lcApp) << "single instance: cannot listen:" << error;
        connect(m_instance.get(), &SingleInstance::activated, this, [this](const QString &text) {
            raiseWindow();
            if (text.isEmpty())
                return;
            qCInfo(lcApp) << "link from another launch:" << text;
            if (const QString problem = m_context.openLink(text); !problem.isEmpty())
                m_context.showLinkProblem(problem);
        });
    }

    connect(&m_context, &AppContext::switchRequested, this, &Application::switchTo);
    connect(&m_context, &AppContext::linkFailed, this, [this](const QString &message) {
        printError(message);
        if (!m_screenshotPath.isEmpty())
            QCoreApplication::exit(1);
    });

    if (parser.isSet(baseUrl) || parser.isSet(publicKey)) {
        const QUrl url = QUrl::fromUserInput(parser.value(baseUrl));
        if (!parser.isSet(baseUrl) || !parser.isSet(publicKey)) {
            printError(QStringLiteral("--base-url and --public-key go together"));
            return 2;
        }
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
            printError(QStringLiteral("--base-url must be an http:// or https:// URL"));
            return 2;
        }
        const QString secret = qEnvironmentVariable("XEROML_SECRET_KEY");
        if (secret.isEmpty()) {
            printError(QStringLiteral("set the secret key in the environment variable "
                                      "XEROML_SECRET_KEY (it is never taken from the command "
                                      "line)"));
            return 2;
        }
        Connection connection;
        connection.name = url.host();
        connection.baseUrl = url.adjusted(QUrl::StripTrailingSlash);
        connection.publicKey = parser.value(publicKey);
        connection.secretKey = secret;
        m_context.setFixedConnection(connection.name);
        m_context.setReady(connection);
    } else if (parser.isSet(connectionOption)) {
        const QString name = parser.value(connectionOption);
        if (name != ConnectionStore::localServerName() && !m_context.connections()->find(name)) {
            printError(QStringLiteral("no saved connection is named \"%1\"; saved: %2")
                           .arg(name, m_context.connections()->names().join(QStringLiteral(", "))));
            return 2;
        }
        m_context.setFixedConnection(name);
        switchTo(name);
    } else if (!link) {
        useLocalServer();
    }
    if (link) {
        if (link->kind == QLatin1String("users"))
            m_screenshotLink = link;
        // With no connection given, the link's host picks it.
        if (const QString error = m_context.openLink(link->toString()); !error.isEmpty()) {
            printError(error);
            if (!m_screenshotPath.isEmpty())
                return 2;
            if (!m_context.ready() && !m_embedded)
                useLocalServer();
            // Said again once the window is up, with "Add connection…" for an unknown server.
            QTimer::singleShot(0, this, [this, error] { m_context.showLinkProblem(error); });
        }
    }

    if (!m_screenshotPath.isEmpty()) {
        // Offscreen there is no GPU; the software renderer draws the same scene.
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        // Queued: the page reports readiness from inside a model update; grab after it.
        connect(&m_context, &AppContext::pageReady, this, &Application::screenshotAfterFrames,
                Qt::QueuedConnection);
        connect(&m_context, &AppContext::stateChanged, this, [this] {
            if (m_context.failed())
                QTimer::singleShot(0, this, &Application::takeScreenshot);
        });
        QTimer::singleShot(kScreenshotTimeoutMs, this, [this] {
            printError(QStringLiteral("no data after %1 s; saving the window as it is")
                           .arg(kScreenshotTimeoutMs / 1000));
            m_screenshotTimedOut = true;
            takeScreenshot();
        });
    }

    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(QStringLiteral("qrc:/"));
    QObject::connect(
        m_engine.get(), &QQmlApplicationEngine::objectCreationFailed, &m_app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    m_engine->load(QUrl(QStringLiteral("qrc:/XeroML/Dashboard/Main.qml")));
    if (m_engine->rootObjects().isEmpty()) {
        printError(QStringLiteral("the user interface could not be loaded"));
        return 1;
    }
    return -1;
}

void Application::startEmbeddedServer()
{
    m_embedded = std::make_unique<EmbeddedServer>(EmbeddedServer::defaultDatabasePath(),
                                                  EmbeddedServer::defaultDemo());
    m_context.setStarting(tr("Starting the local server…"), -1);
    connect(m_embedded.get(), &EmbeddedServer::seeding, this, [this](qint64 done, qint64 total) {
        m_context.setStarting(tr("Preparing demo data for the first start…"),
                              total > 0 ? double(done) / double(total) : -1);
    });
    connect(m_embedded.get(), &EmbeddedServer::ready, this, [this](const Connection &connection) {
        m_embeddedConnection = connection;
        m_context.setLocalConnection(connection);
        if (m_wantLocal)
            m_context.setReady(connection, ConnectionStore::localServerName());
    });
    connect(m_embedded.get(), &EmbeddedServer::failed, this, [this](const QString &error) {
        printError(error);
        if (m_wantLocal)
            m_context.setFailed(error);
    });
    m_embedded->start();
}

void Application::useLocalServer()
{
    m_wantLocal = true;
    if (m_embeddedConnection.isValid())
        return m_context.setReady(m_embeddedConnection, ConnectionStore::localServerName());
    if (!m_embedded)
        startEmbeddedServer();
}

void Application::switchTo(const QString &name)
{
    if (name == ConnectionStore::localServerName())
        return useLocalServer();
    m_wantLocal = false;
    if (!m_context.ready())
        m_context.setStarting(tr("Connecting to %1…").arg(name), -1);
    m_context.connections()->load(name,
                                  [this, name](const Connection &connection, const QString &error) {
                                      if (m_wantLocal)
                                          return; // the user switched again meanwhile
                                      if (!error.isEmpty()) {
                                          printError(error);
                                          m_context.notify(error);
                                          if (!m_context.ready())
                                              m_context.setFailed(error);
                                          return;
                                      }
                                      m_context.setReady(connection, name);
                                  });
}

void Application::raiseWindow()
{
    auto *window = m_engine && !m_engine->rootObjects().isEmpty()
                       ? qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst())
                       : nullptr;
    if (!window)
        return;
    window->show();
    window->raise();
    window->requestActivate();
}

bool Application::screenshotPageShown() const
{
    if (!m_screenshotLink)
        return true;
    // With a link, the picture is of the linked user's page, not the users list under it.
    QObject *root = m_engine && !m_engine->rootObjects().isEmpty()
                        ? m_engine->rootObjects().constFirst()
                        : nullptr;
    QObject *page = root ? root->property("currentPage").value<QObject *>() : nullptr;
    return page && page->property("userId").toString() == m_screenshotLink->id &&
           page->property("reportedReady").toBool() && page->property("x").toDouble() == 0.0 &&
           page->property("opacity").toDouble() == 1.0;
}

void Application::screenshotAfterFrames()
{
    if (!screenshotPageShown()) {
        // The linked page may still slide in: look again shortly (the timeout still holds).
        if (m_screenshotLink && !m_screenshotTaken)
            QTimer::singleShot(50, this, &Application::screenshotAfterFrames);
        return;
    }
    auto *window = m_engine && !m_engine->rootObjects().isEmpty()
                       ? qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst())
                       : nullptr;
    if (!window)
        return takeScreenshot();
    // Charts paint their scene in a later event and then ask for a new frame: let a few
    // frames render so the picture shows them settled, not half-updated. Frames come only
    // while something changes, so a quiet window is grabbed after a short pause instead.
    auto *settle = new FrameSettler(window, this);
    connect(settle, &FrameSettler::settled, this, &Application::takeScreenshot);
}

void Application::takeScreenshot()
{
    if (m_screenshotTaken || !m_engine || m_engine->rootObjects().isEmpty())
        return;
    auto *window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    if (!window)
        return;
    m_screenshotTaken = true;
    // grabWindow() polishes and renders the current scene synchronously, so the rows that
    // just arrived are in the picture.
    const QImage image = window->grabWindow();
    if (image.isNull() || !image.save(m_screenshotPath)) {
        printError(QStringLiteral("cannot write the screenshot to %1").arg(m_screenshotPath));
        QCoreApplication::exit(1);
        return;
    }
    std::fprintf(stdout, "screenshot saved to %s\n", qPrintable(m_screenshotPath));
    // The picture is saved either way; the exit code says whether it shows data.
    if (!m_context.pageError().isEmpty())
        printError(QStringLiteral("the page shows an error: %1").arg(m_context.pageError()));
    const bool shown =
        !m_context.failed() && !m_screenshotTimedOut && m_context.pageError().isEmpty();
    QCoreApplication::exit(shown ? 0 : 1);
}

#include "application.moc"
