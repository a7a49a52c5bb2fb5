#include "session/password_store.h"

#include <qt6keychain/keychain.h>

namespace bs::ui {

PasswordStore::PasswordStore(QObject* parent) : QObject(parent) {}

void PasswordStore::save(const QString& account, const QString& password,
                         std::function<void(const QString& error)> done) {
    auto* job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);  // never a plain file
    job->setKey(account);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* j) {
        if (done)
            done(j->error() == QKeychain::NoError
                     ? QString()
                     : tr("no system keyring (%1); the password is kept for this run only")
                           .arg(j->errorString()));
    });
    job->start();
}

void PasswordStore::load(const QString& account,
                         std::function<void(const QString&, const QString&)> done) {
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* j) {
        auto* read = static_cast<QKeychain::ReadPasswordJob*>(j);
        if (j->error() == QKeychain::NoError) return done(read->textData(), QString());
        done(QString(),
             j->error() == QKeychain::EntryNotFound
                 ? tr("the system keyring has no password for it")
                 : tr("the system keyring could not be read (%1)").arg(j->errorString()));
    });
    job->start();
}

void PasswordStore::forget(const QString& account) {
    auto* job = new QKeychain::DeletePasswordJob(QString::fromLatin1(kService), this);
    job->setAutoDelete(true);
    job->setKey(account);
    job->start();
}

}  // namespace bs::ui
