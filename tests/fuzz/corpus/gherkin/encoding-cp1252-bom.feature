
#  ENCODING:cp1252
# language: fr
Fonctionnalité: €
