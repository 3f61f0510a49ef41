// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/exportcontroller.h"

#include "models/format.h"
#include "models/tabletext.h"
#include "views/userpagecontroller.h"
#include "views/userspagecontroller.h"

#include <QClipboard>
#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace {

const QString kFolderKey = QStringLiteral("export/folder");

// Sorted, without repeats, inside the model's rows.
QList<int> validRows(QList<int> rows, int rowCount)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    rows.removeIf([rowCount](int row) { return row < 0 || row >= rowCount; });
    return rows;
}

template<typename Model> QList<int> allColumns()
{
    QList<int> columns;
    for (int c = 0; c < Model::ColumnCount; ++c)
        columns.append(c);
    return columns;
}

QString fileSafe(QString text)
{
    for (QChar &c : text) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('.'))
            c = QLatin1Char('_');
    }
    return text.left(60);
}

} // namespace

ExportController::ExportController(QObject *parent)
    : QObject(parent)
{
    connect(&m_job, &ExportJob::runningChanged, this, &ExportController::runningChanged);
    connect(&m_job, &ExportJob::progressChanged, this, [this] {
        // A cancel() from a handler of this signal runs once the job is out of its write
        // loop: the job is not re-entered from inside its own progress report.
        m_inProgressSignal = true;
        Q_EMIT progressChanged();
        m_inProgressSignal = false;
    });
    connect(&m_job, &ExportJob::finished, this, [this](bool ok, const QString &message) {
        if (ok) {
            m_error.clear();
            m_resultPath = m_job.options().path;
            m_resultText = !message.isEmpty() ? message
                                              : tr("Exported %1 %2 as %3.")
                                                    .arg(Format::count(m_job.rowsWritten()), noun(),
                                                         m_format.toUpper());
            QSettings().setValue(kFolderKey, QFileInfo(m_resultPath).absolutePath());
        } else {
            m_error = message;
            m_resultPath.clear();
            m_resultText.clear();
        }
        Q_EMIT runningChanged();
        Q_EMIT finished(ok, ok ? m_resultText : m_error);
    });
}

void ExportController::setSource(QObject *source)
{
    if (source == m_source)
        return;
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_selectedRows.clear();
    watchSource();
    Q_EMIT sourceChanged();
    Q_EMIT countsChanged();
}

void ExportController::watchSource()
{
    if (auto *users = qobject_cast<UsersPageController *>(m_source.data())) {
        connect(users, &UsersPageController::selectionChanged, this,
                &ExportController::countsChanged);
        connect(users, &UsersPageController::totalCountChanged, this,
                &ExportController::countsChanged);
    } else if (auto *user = qobject_cast<UserPageController *>(m_source.data())) {
        connect(user, &UserPageController::totalsChanged, this, &ExportController::countsChanged);
        connect(user->traceModel(), &TraceListModel::totalCountChanged, this,
                &ExportController::countsChanged);
        // A new query drops the rows the selection pointed at.
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 user->traceModel(), user->scoreModel(), user->sessionModel()}) {
            connect(model, &QAbstractItemModel::modelReset, this, [this] { setSelectedRows({}); });
        }
    }
}

QString ExportController::table() const
{
    return ExportColumns::tableName(m_table);
}

void ExportController::setTable(const QString &table)
{
    const std::optional<ExportTable> parsed = ExportColumns::tableFromName(table);
    if (!parsed || *parsed == m_table)
        return;
    m_table = *parsed;
    m_selectedRows.clear();
    Q_EMIT sourceChanged();
    Q_EMIT countsChanged();
}

void ExportController::setSelectedRows(const QList<int> &rows)
{
    if (rows == m_selectedRows)
        return;
    m_selectedRows = rows;
    Q_EMIT countsChanged();
}

int ExportController::selectedCount() const
{
    if (auto *users = qobject_cast<UsersPageController *>(m_source.data()))
        return m_table == ExportTable::Users ? users->selectedCount() : 0;
    auto *user = qobject_cast<UserPageController *>(m_source.data());
    if (!user)
        return 0;
    switch (m_table) {
    case ExportTable::Traces:
        return int(validRows(m_selectedRows, user->traceModel()->rowCount()).size());
    case ExportTable::Scores:
        return int(validRows(m_selectedRows, user->scoreModel()->rowCount()).size());
    case ExportTable::Sessions:
        return int(validRows(m_selectedRows, user->sessionModel()->rowCount()).size());
    case ExportTable::Users:
        break;
    }
    return 0;
}

double ExportController::matchingCount() const
{
    if (auto *users = qobject_cast<UsersPageController *>(m_source.data()))
        return m_table == ExportTable::Users ? users->totalCount() : 0;
    auto *user = qobject_cast<UserPageController *>(m_source.data());
    if (!user)
        return 0;
    switch (m_table) {
    case ExportTable::Traces:
        return double(user->traceModel()->totalCount());
    case ExportTable::Scores:
        return user->scoreTotal();
    case ExportTable::Sessions:
        return user->sessionTotal();
    case ExportTable::Users:
        break;
    }
    return 0;
}

QString ExportController::noun() const
{
    switch (m_table) {
    case ExportTable::Users:
        return tr("users");
    case ExportTable::Traces:
        return tr("traces");
    case ExportTable::Sessions:
        return tr("sessions");
    case ExportTable::Scores:
        return tr("scores");
    }
    return {};
}

QString ExportController::progressText() const
{
    if (m_job.totalRows() < 0)
        return tr("%1 rows").arg(Format::count(m_job.rowsWritten()));
    return tr("%1 of %2 rows")
        .arg(Format::count(m_job.rowsWritten()), Format::count(m_job.totalRows()));
}

QString ExportController::timeLeftText() const
{
    const int seconds = m_job.secondsLeft();
    if (!m_job.running())
        return {};
    if (seconds < 0)
        return tr("Estimating time left…");
    if (seconds < 2)
        return tr("Almost done");
    if (seconds < 60)
        return tr("About %1 s left").arg(seconds);
    if (seconds < 3600)
        return tr("About %1 min left").arg((seconds + 30) / 60);
    return tr("About %1 h %2 min left").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString ExportController::defaultFileName(const QString &format) const
{
    QString name = table();
    if (auto *user = qobject_cast<UserPageController *>(m_source.data()))
        name += QLatin1Char('-') + fileSafe(user->userId());
    const QString suffix = ExportColumns::formatFromName(format.toLower())
                               ? format.toLower()
                               : ExportColumns::formatName(ExportFormat::Csv);
    return name + QLatin1Char('-') + QDate::currentDate().toString(Qt::ISODate) + QLatin1Char('.') +
           suffix;
}

QString ExportController::defaultPath(const QString &format) const
{
    QString folder = QSettings().value(kFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath();
    return QDir(folder).filePath(defaultFileName(format));
}

QString ExportController::pathForFormat(const QString &path, const QString &format)
{
    if (path.isEmpty() || !ExportColumns::formatFromName(format.toLower()))
        return path;
    const QFileInfo info(path);
    QString base = path;
    if (ExportColumns::formatFromName(info.suffix().toLower()))
        base.chop(info.suffix().size() + 1);
    return base + QLatin1Char('.') + format.toLower();
}

bool ExportController::fileExists(const QString &path)
{
    return !path.isEmpty() && QFileInfo::exists(path);
}

QString ExportController::localPath(const QUrl &url)
{
    return url.isLocalFile() ? url.toLocalFile() : url.toString();
}

QUrl ExportController::folderUrl(const QString &path)
{
    return QUrl::fromLocalFile(QFileInfo(path).absolutePath());
}

QUrl ExportController::fileUrl(const QString &path)
{
    return QUrl::fromLocalFile(path);
}

QStringList ExportController::columnIds(bool all) const
{
    if (all) {
        QStringList ids;
        for (const ExportColumn &column : ExportColumns::all(m_table))
            ids.append(column.id);
        return ids;
    }
    if (m_table == ExportTable::Sessions) // a timeline: the default columns
        return ExportColumns::defaultIds(m_table);
    return ExportColumns::idsForModelColumns(m_table, visibleModelColumns());
}

QList<int> ExportController::visibleModelColumns() const
{
    switch (m_table) {
    case ExportTable::Users: {
        auto *users = qobject_cast<UsersPageController *>(m_source.data());
        QList<int> visible;
        for (int c = 0; c < UserListModel::ColumnCount; ++c) {
            if (!users || users->columns()->isVisible(c))
                visible.append(c);
        }
        return visible;
    }
    case ExportTable::Traces: // the user page's tables show every column of their model
        return allColumns<TraceListModel>();
    case ExportTable::Scores:
        return allColumns<ScoreListModel>();
    case ExportTable::Sessions:
        break;
    }
    return {};
}

QString ExportController::selectionText(bool markdown) const
{
    const QAbstractItemModel *model = nullptr;
    QList<int> rows;
    int valueRole = 0;
    int numericRole = 0;
    if (auto *users = qobject_cast<UsersPageController *>(m_source.data());
        users && m_table == ExportTable::Users) {
        model = users->userModel();
        for (const QModelIndex &index : users->selectionModel()->selectedRows())
            rows.append(index.row());
        valueRole = UserListModel::ValueRole;
        numericRole = UserListModel::NumericRole;
    } else if (auto *user = qobject_cast<UserPageController *>(m_source.data())) {
        rows = m_selectedRows;
        if (m_table == ExportTable::Traces) {
            model = user->traceModel();
            valueRole = TraceListModel::ValueRole;
            numericRole = TraceListModel::NumericRole;
        } else if (m_table == ExportTable::Scores) {
            model = user->scoreModel();
            valueRole = ScoreListModel::ValueRole;
            numericRole = ScoreListModel::NumericRole;
        }
    }
    if (!model)
        return {};
    rows = validRows(rows, model->rowCount());
    if (rows.isEmpty())
        return {};
    const QList<int> columns = visibleModelColumns();
    return markdown ? TableText::toMarkdown(*model, rows, columns, valueRole, numericRole)
                    : TableText::toTsv(*model, rows, columns, valueRole);
}

int ExportController::copySelection(bool markdown) const
{
    const QString text = selectionText(markdown);
    if (text.isEmpty())
        return 0;
    QGuiApplication::clipboard()->setText(text);
    return selectedCount();
}

bool ExportController::prepareRows(bool selectedOnly)
{
    if (auto *users = qobject_cast<UsersPageController *>(m_source.data())) {
        if (m_table != ExportTable::Users)
            return false;
        UserListModel *model = users->userModel();
        if (!selectedOnly) {
            m_job.setQuery(model->query());
            return true;
        }
        QList<int> rows;
        for (const QModelIndex &index : users->selectionModel()->selectedRows())
            rows.append(index.row());
        QList<UserSummary> items;
        for (int row : validRows(rows, model->rowCount()))
            items.append(model->user(row));
        m_job.setRows(items);
        return !items.isEmpty();
    }
    auto *user = qobject_cast<UserPageController *>(m_source.data());
    if (!user)
        return false;
    const auto pick = [this, selectedOnly](auto *model, auto at) {
        using Item = std::decay_t<decltype((model->*at)(0))>;
        if (!selectedOnly) {
            m_job.setQuery(model->query());
            return true;
        }
        QList<Item> items;
        for (int row : validRows(m_selectedRows, model->rowCount()))
            items.append((model->*at)(row));
        m_job.setRows(items);
        return !items.isEmpty();
    };
    switch (m_table) {
    case ExportTable::Traces:
        return pick(user->traceModel(), &TraceListModel::trace);
    case ExportTable::Sessions:
        return pick(user->sessionModel(), &SessionListModel::session);
    case ExportTable::Scores:
        return pick(user->scoreModel(), &ScoreListModel::score);
    case ExportTable::Users:
        break;
    }
    return false;
}

void ExportController::fail(const QString &message)
{
    m_error = message;
    m_resultPath.clear();
    m_resultText.clear();
    Q_EMIT runningChanged();
}

bool ExportController::start(const QString &format, bool selectedOnly, bool allColumns, bool bom,
                             const QString &path)
{
    if (m_job.running())
        return false;
    const std::optional<ExportFormat> parsed = ExportColumns::formatFromName(format.toLower());
    if (!parsed) {
        fail(tr("Unknown export format \"%1\".").arg(format));
        return false;
    }
    if (path.trimmed().isEmpty()) {
        fail(tr("Choose a file to export to."));
        return false;
    }
    const QFileInfo target(path);
    if (target.isDir()) {
        fail(tr("%1 is a folder; choose a file name.").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    if (!target.absoluteDir().exists()) {
        fail(tr("The folder %1 does not exist.")
                 .arg(QDir::toNativeSeparators(target.absolutePath())));
        return false;
    }
    if (!m_source) {
        fail(tr("Nothing to export."));
        return false;
    }
    if (!prepareRows(selectedOnly)) {
        fail(selectedOnly ? tr("No rows are selected.") : tr("Nothing to export."));
        return false;
    }
    if (auto *users = qobject_cast<UsersPageController *>(m_source.data()))
        m_job.setClient(users->client());
    else if (auto *user = qobject_cast<UserPageController *>(m_source.data()))
        m_job.setClient(user->client());

    ExportOptions options;
    options.format = *parsed;
    options.path = target.absoluteFilePath();
    options.columns = columnIds(allColumns);
    options.bom = bom && *parsed == ExportFormat::Csv;
    m_job.setOptions(options);
    m_format = ExportColumns::formatName(*parsed);
    m_error.clear();
    m_resultPath.clear();
    m_resultText.clear();
    m_job.start();
    return true;
}

void ExportController::cancel()
{
    if (m_inProgressSignal)
        QMetaObject::invokeMethod(&m_job, &ExportJob::cancel, Qt::QueuedConnection);
    else
        m_job.cancel();
}
