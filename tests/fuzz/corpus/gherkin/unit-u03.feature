# language: fr
Fonctionnalité: F
  Scénario: S
    Soit a
    Et b
    Alors c
