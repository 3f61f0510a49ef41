// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/connectionstore.h"

#include "api/deeplink.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcConnections, "xeroml.connections")

namespace {

const QString kService = QStringLiteral("xeroml-dashboard");

QString keychainKey(const QString &id)
{
    return QStringLiteral("connection/%1/secret-key").arg(id);
}

// A keychain error that means "there is no keychain to talk to", as opposed to the user
// saying no.
bool isMissingKeychain(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented ||
           error == QKeychain::OtherError || error == QKeychain::AccessDenied;
}

} // namespace

ConnectionStore::ConnectionStore(QObject *parent)
    : QAbstractListModel(parent)
{
    readSettings();
}

QString ConnectionStore::localServerName()
{
    return tr("Local server");
}

int ConnectionStore::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_connections.size()) + 1;
}

QVariant ConnectionStore::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() == 0) {
        switch (role) {
        case Qt::DisplayRole:
        case NameRole:
            return localServerName();
        case BuiltInRole:
            return true;
        case ProjectIdRole:
            return QStringLiteral("xeroml-local");
        case SecretInFileRole:
            return false;
        default:
            return QString();
        }
    }
    const SavedConnection &c = m_connections.at(index.row() - 1);
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return c.name;
    case BaseUrlRole:
        return c.baseUrl.toString();
    case PublicKeyRole:
        return c.publicKey;
    case ProjectIdRole:
        return c.projectId;
    case ProjectNameRole:
        return c.projectName;
    case SecretInFileRole:
        return c.secretInFile;
    case BuiltInRole:
        return false;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConnectionStore::roleNames() const
{
    return {
        {NameRole, "name"},
        {BaseUrlRole, "baseUrl"},
        {PublicKeyRole, "publicKey"},
        {ProjectIdRole, "projectId"},
        {ProjectNameRole, "projectName"},
        {SecretInFileRole, "secretInFile"},
        {BuiltInRole, "builtIn"},
    };
}

QStringList ConnectionStore::names() const
{
    QStringList list{localServerName()};
    for (const SavedConnection &c : m_connections)
        list << c.name;
    return list;
}

int ConnectionStore::indexOf(const QString &name) const
{
    return int(names().indexOf(name));
}

QString ConnectionStore::secretsDirectory() const
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/xeroml-dashboard/secrets");
}

std::optional<SavedConnection> ConnectionStore::find(const QString &name) const
{
    for (const SavedConnection &c : m_connections)
        if (c.name == name)
            return c;
    return std::nullopt;
}

std::optional<SavedConnection> ConnectionStore::findFor(const DeepLink &link) const
{
    for (const SavedConnection &c : m_connections)
        if (link.matchesBaseUrl(c.baseUrl))
            return c;
    return std::nullopt;
}

QString ConnectionStore::validateBaseUrl(const QString &text) const
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return tr("Enter an https:// address, e.g. https://cloud.xeroml.com");
    if (!url.userInfo().isEmpty())
        return tr("Leave the user name and password out of the address; keys go below");
    if (scheme == QLatin1String("http") && !DeepLink::isLoopbackHost(url.host().toLower()))
        return tr("Plain http:// is only for servers on this computer; use https://");
    return {};
}

void ConnectionStore::readSettings()
{
    QSettings settings;
    const int n = settings.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        SavedConnection c;
        c.id = settings.value(QStringLiteral("id")).toString();
        c.name = settings.value(QStringLiteral("name")).toString();
        c.baseUrl = QUrl(settings.value(QStringLiteral("baseUrl")).toString());
        c.publicKey = settings.value(QStringLiteral("publicKey")).toString();
        c.projectId = settings.value(QStringLiteral("projectId")).toString();
        c.projectName = settings.value(QStringLiteral("projectName")).toString();
        c.secretInFile =
            settings.value(QStringLiteral("secretStorage")).toString() == QLatin1String("file");
        if (!c.id.isEmpty() && !c.name.isEmpty() && c.baseUrl.isValid())
            m_connections.append(c);
    }
    settings.endArray();
}

void ConnectionStore::writeSettings() const
{
    QSettings settings;
    settings.remove(QStringLiteral("connections"));
    settings.beginWriteArray(QStringLiteral("connections"), int(m_connections.size()));
    for (int i = 0; i < m_connections.size(); ++i) {
        const SavedConnection &c = m_connections.at(i);
        settings.setArrayIndex(i);
        // Never the secret key: it lives in the keychain (or the 0600 file).
        settings.setValue(QStringLiteral("id"), c.id);
        settings.setValue(QStringLiteral("name"), c.name);
        settings.setValue(QStringLiteral("baseUrl"), c.baseUrl.toString());
        settings.setValue(QStringLiteral("publicKey"), c.publicKey);
        settings.setValue(QStringLiteral("projectId"), c.projectId);
        settings.setValue(QStringLiteral("projectName"), c.projectName);
        settings.setValue(QStringLiteral("secretStorage"),
                          c.secretInFile ? QStringLiteral("file") : QStringLiteral("keychain"));
    }
    settings.endArray();
    settings.sync();
}

QString ConnectionStore::secretFilePath(const QString &id) const
{
    return secretsDirectory() + u'/' + id;
}

bool ConnectionStore::writeSecretFile(const QString &id, const QString &secret,
                                      QString *error) const
{
    const QString dir = secretsDirectory();
    if (!QDir().mkpath(dir) ||
        !QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                        QFileDevice::ExeOwner)) {
        *error = tr("cannot create %1").arg(dir);
        return false;
    }
    QSaveFile file(secretFilePath(id));
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(secret.toUtf8()) < 0 || !file.commit()) {
        *error = tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

void ConnectionStore::save(const QString &originalName, const QString &name, const QString &baseUrl,
                           const QString &publicKey, const QString &secretKey,
                           const QString &projectId, const QString &projectName, bool secretInFile)
{
    const QString trimmedName = name.trimmed();
    auto refuse = [&](const QString &error) { Q_EMIT saveFinished(trimmedName, error, false); };
    if (trimmedName.isEmpty() || trimmedName == localServerName())
        return refuse(tr("Choose a name other than \"%1\"").arg(localServerName()));
    if (trimmedName != originalName && find(trimmedName))
        return refuse(tr("A connection named \"%1\" exists already").arg(trimmedName));
    if (const QString e = validateBaseUrl(baseUrl); !e.isEmpty())
        return refuse(e);
    if (publicKey.trimmed().isEmpty())
        return refuse(tr("Enter the public key (pk-…)"));
    const std::optional<SavedConnection> previous = find(originalName);
    if (secretKey.isEmpty() && !previous)
        return refuse(tr("Enter the secret key (sk-…)"));

    SavedConnection entry;
    entry.id = previous ? previous->id : QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.name = trimmedName;
    entry.baseUrl = QUrl(baseUrl.trimmed()).adjusted(QUrl::StripTrailingSlash);
    entry.publicKey = publicKey.trimmed();
    entry.projectId = projectId;
    entry.projectName = projectName;
    entry.secretInFile = secretInFile;

    if (secretKey.isEmpty()) {
        // Same secret, same storage: only the metadata changes.
        entry.secretInFile = previous->secretInFile;
        return finishSave(entry, originalName);
    }
    if (secretInFile) {
        QString error;
        if (!writeSecretFile(entry.id, secretKey, &error))
            return refuse(error);
        if (previous && !previous->secretInFile) {
            auto *del = new QKeychain::DeletePasswordJob(kService);
            del->setKey(keychainKey(entry.id));
            del->start();
        }
        return finishSave(entry, originalName);
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setInsecureFallback(false); // never plain QSettings
    job->setKey(keychainKey(entry.id));
    job->setTextData(secretKey);
    connect(job, &QKeychain::Job::finished, this, [this, entry, originalName](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError) {
            qCWarning(lcConnections) << "keychain write failed:" << j->errorString();
            Q_EMIT saveFinished(entry.name,
                                tr("No keychain service answered (%1).").arg(j->errorString()),
                                isMissingKeychain(j->error()));
            return;
        }
        QFile::remove(secretFilePath(entry.id)); // moved to the keychain
        finishSave(entry, originalName);
    });
    job->start();
}

void ConnectionStore::finishSave(const SavedConnection &entry, const QString &originalName)
{
    beginResetModel();
    bool replaced = false;
    for (SavedConnection &c : m_connections) {
        if (c.name == originalName) {
            c = entry;
            replaced = true;
        }
    }
    if (!replaced)
        m_connections.append(entry);
    endResetModel();
    writeSettings();
    Q_EMIT namesChanged();
    Q_EMIT saveFinished(entry.name, QString(), false);
}

void ConnectionStore::remove(const QString &name)
{
    const std::optional<SavedConnection> entry = find(name);
    if (!entry)
        return;
    beginResetModel();
    m_connections.removeIf([&](const SavedConnection &c) { return c.name == name; });
    endResetModel();
    writeSettings();
    QFile::remove(secretFilePath(entry->id));
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setKey(keychainKey(entry->id));
    job->start();
    Q_EMIT namesChanged();
}

void ConnectionStore::load(const QString &name,
                           std::function<void(const Connection &, const QString &)> done) const
{
    const std::optional<SavedConnection> entry = find(name);
    if (!entry) {
        done({}, tr("no saved connection is named \"%1\"").arg(name));
        return;
    }
    Connection connection;
    connection.name = entry->name;
    connection.baseUrl = entry->baseUrl;
    connection.publicKey = entry->publicKey;
    if (entry->secretInFile) {
        QFile file(secretFilePath(entry->id));
        if (!file.open(QIODevice::ReadOnly)) {
            done({}, tr("cannot read the secret key of \"%1\" from %2").arg(name, file.fileName()));
            return;
        }
        connection.secretKey = QString::fromUtf8(file.readAll());
        done(connection, {});
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setInsecureFallback(false);
    job->setKey(keychainKey(entry->id));
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [connection, name, done = std::move(done)](QKeychain::Job *j) mutable {
                         auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
                         if (read->error() != QKeychain::NoError) {
                             done({}, tr("cannot read the secret key of \"%1\" from the "
                                         "keychain: %2")
                                          .arg(name, read->errorString()));
                             return;
                         }
                         connection.secretKey = read->textData();
                         done(connection, {});
                     });
    job->start();
}
