# Drawn by the replicate harness; run `gnuplot cooldown-length.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Unconditional loss against the cooldown share"
set xlabel "cooldown share of the steps"
set ylabel "ℓ_u (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'cooldown-length.png'
plot 'cooldown-length.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "URL-conditioned then plain", \
     1.8092083197442825 with lines dt 2 lc rgb 'gray40' title "STD"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'cooldown-length.svg'
plot 'cooldown-length.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "URL-conditioned then plain", \
     1.8092083197442825 with lines dt 2 lc rgb 'gray40' title "STD"
unset output
