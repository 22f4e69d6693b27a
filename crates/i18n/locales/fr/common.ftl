# Words and forms shared by every area.
common-yes = oui
common-no = non
common-violations = { $count ->
    [one] { $count } anomalie
   *[other] { $count } anomalies
}
weekday-mon = lundi
weekday-tue = mardi
weekday-wed = mercredi
weekday-thu = jeudi
weekday-fri = vendredi
weekday-sat = samedi
weekday-sun = dimanche
io-not-found = fichier ou dossier introuvable
io-permission-denied = accès refusé
io-already-exists = existe déjà
io-invalid-data = contenu invalide
io-unexpected-eof = fin de fichier inattendue
io-is-a-directory = c'est un dossier
io-not-a-directory = ce n'est pas un dossier
io-storage-full = disque plein
io-read-only = système de fichiers en lecture seule
json-position = ligne { $line }, colonne { $column }
serde-unknown-field = champ inconnu { $name } ; les champs possibles ici : { $expected }
serde-no-fields = champ inconnu { $name } : aucun champ n'est attendu ici{ $expected }
serde-unknown-variant = valeur inconnue { $name } ; les valeurs possibles : { $expected }
serde-unknown-variant-none = valeur inconnue { $name }{ $expected }
serde-missing-field = champ obligatoire manquant : { $name }
serde-duplicate-field = champ { $name } écrit deux fois
serde-invalid-type = type invalide : { $found }, alors qu'est attendu : { $expected }
serde-invalid-value = valeur invalide : { $found }, alors qu'est attendu : { $expected }
serde-invalid-length = longueur invalide { $found }, alors qu'est attendu : { $expected }
